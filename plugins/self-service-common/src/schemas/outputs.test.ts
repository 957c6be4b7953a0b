import { reportStatusBodySchema } from './request';

const report = (outputs: unknown, state = 'succeeded') => ({ state, taskId: 'task-1', outputs });

describe('reportStatusBodySchema outputs', () => {
  it('accepts scalar outputs on a succeeded report', () => {
    const outputs = { endpoint: 'db.internal:5432', port: 5432, encrypted: true, 'a_b-C9': '' };
    expect(reportStatusBodySchema.parse(report(outputs)).outputs).toEqual(outputs);
    expect(reportStatusBodySchema.parse({ state: 'failed', taskId: 't' }).outputs).toBeUndefined();
  });

  it.each([
    ['a bad name', { 'bad name': 'x' }, 'outputs.bad name'],
    ['a long name', { ['x'.repeat(65)]: 'x' }, `outputs.${'x'.repeat(65)}`],
    ['a long value', { endpoint: 'x'.repeat(2001) }, 'outputs.endpoint'],
    ['a nested value', { list: ['a'] }, 'outputs.list'],
    ['a null value', { missing: null }, 'outputs.missing'],
    [
      'too many outputs',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`o${i}`, i])),
      'outputs',
    ],
  ])('refuses %s, naming the field', (_label, outputs, path) => {
    const result = reportStatusBodySchema.safeParse(report(outputs));
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map(i => i.path.map(String).join('.'));
    expect(paths).toContain(path);
  });

  it('accepts exactly 50 outputs and 2,000 characters', () => {
    const outputs = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`o${i}`, 'x'.repeat(2000)]),
    );
    expect(reportStatusBodySchema.safeParse(report(outputs)).success).toBe(true);
  });

  it('refuses outputs on any report but succeeded', () => {
    const result = reportStatusBodySchema.safeParse(report({ a: 1 }, 'failed'));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['outputs'],
      message: 'only a succeeded report carries outputs',
    });
  });
});
