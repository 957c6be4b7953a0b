import {
  describePattern,
  transformSelfServiceFormErrors,
} from './transformErrors';

describe('transformSelfServiceFormErrors', () => {
  it('says what a name pattern wants, in words', () => {
    const pattern = '^[a-z][a-z0-9-]{2,39}$';
    const [error] = transformSelfServiceFormErrors([
      {
        name: 'pattern',
        property: '.name',
        params: { pattern },
        message: `must match pattern "${pattern}"`,
        stack: `'Name' must match pattern "${pattern}"`,
      },
    ]);
    expect(error.message).toBe(
      'must start with a lowercase letter, contain only lowercase letters, digits and dashes and be 3 to 40 characters long',
    );
    expect(error.stack).toBe(`'Name' ${error.message}`);
    expect(error.stack).not.toContain('^');
  });

  it('never shows a pattern it cannot put in words', () => {
    const [error] = transformSelfServiceFormErrors([
      {
        name: 'pattern',
        params: { pattern: '^(?:db|cache)-\\d+$' },
        message: 'must match pattern "^(?:db|cache)-\\d+$"',
        stack: 'must match pattern "^(?:db|cache)-\\d+$"',
      },
    ]);
    expect(error.stack).toBe(
      'is not in the expected format (see the description under the field)',
    );
  });

  it('leaves other errors alone', () => {
    const error = { name: 'required', message: 'x', stack: 'x' };
    expect(transformSelfServiceFormErrors([error])).toEqual([error]);
  });

  it.each([
    [
      '^[a-z][a-z0-9_]*$',
      'must start with a lowercase letter, contain only lowercase letters, digits and underscores',
    ],
    [
      '^[a-zA-Z][a-z]+$',
      'must start with a lowercase letter or an uppercase letter, contain only lowercase letters',
    ],
    ['^[a-z]+$', undefined],
  ])('%s', (pattern, words) => {
    expect(describePattern(pattern)).toBe(words);
  });
});
