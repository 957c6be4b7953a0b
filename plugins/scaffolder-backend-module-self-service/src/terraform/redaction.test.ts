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

  it('covers overlapping, nested and adjacent secrets, and secrets sharing prefixes', () => {
    const r = new Redactor();
    for (const s of ['abcd', 'bcdefg', 'secret-1-value', 'secret-10-value'])
      r.add(s);
    expect(r.redact('xabcdefgx')).toBe('x(sensitive)x');
    expect(r.redact('abcdabcd')).toBe('(sensitive)(sensitive)');
    expect(r.redact('a secret-10-value and secret-1-value')).toBe(
      'a (sensitive) and (sensitive)',
    );
    expect(r.redact('secret-1-valu')).toBe('secret-1-valu');
  });

  it('hides exactly what a naive scan finds, on random secrets and texts', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = (min: number, max: number) =>
      Array.from(
        { length: min + Math.floor(random() * (max - min + 1)) },
        () => 'abcé'[Math.floor(random() * 4)],
      ).join('');
    for (let round = 0; round < 200; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        word(4, 7),
      );
      const text = word(0, 40);
      const r = new Redactor();
      secrets.forEach(s => r.add(s));
      // naive: mark every character any occurrence of any secret covers
      const covered = new Array(text.length).fill(false);
      for (const s of secrets)
        for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1))
          for (let j = i; j < i + s.length; j++) covered[j] = true;
      const result = r.redact(text);
      for (const s of secrets) expect(result).not.toContain(s);
      // everything not covered by a secret is kept, in order
      const kept = text
        .split('')
        .filter((_, i) => !covered[i])
        .join('');
      expect(result.split('(sensitive)').join('')).toBe(kept);
    }
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
