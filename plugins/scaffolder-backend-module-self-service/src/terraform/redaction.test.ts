import { captureLogger } from '../__testUtils__/fakes';
import { Redactor, redactingLogger } from './redaction';

describe('Redactor', () => {
  it('redacts every occurrence, longest secret first, and each line of a multi-line one', () => {
    const r = new Redactor();
    r.add('abcd');
    r.add('abcdefgh');
    r.add('-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----');
    expect(r.redact('x abcdefgh y abcd')).toBe('x (sensitive) y (sensitive)');
    expect(r.redact('line: MIIBOgIBAAJBAK')).toBe('line: (sensitive)');
  });

  it('learns the string leaves of objects and ignores values too short to redact safely', () => {
    const r = new Redactor();
    r.add({
      user: 'app-user',
      nested: [{ token: 'tok-123456' }],
      port: 5432,
      flag: true,
      short: 'ab',
    });
    expect(r.redact('app-user tok-123456 5432 true ab')).toBe(
      '(sensitive) (sensitive) (sensitive) true ab',
    );
    expect(r.redactValue({ a: ['tok-123456'], b: 1 })).toEqual({
      a: ['(sensitive)'],
      b: 1,
    });
  });

  it('scrubs messages, metadata and errors that pass through the logger, also children', () => {
    const r = new Redactor();
    const target = captureLogger();
    const logger = redactingLogger(target, r);
    r.add('s3cr3t-value');
    logger.info('value s3cr3t-value', { detail: 'is s3cr3t-value' });
    logger.child({ step: 'x' }).error('failed', new Error('bad s3cr3t-value'));
    expect(target.text()).not.toContain('s3cr3t-value');
    expect(target.lines[0]).toBe(
      'info: value (sensitive) {"detail":"is (sensitive)"}',
    );
  });
});
