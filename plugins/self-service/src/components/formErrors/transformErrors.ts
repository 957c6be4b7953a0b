/** The part of a form validation error (rjsf's) that is rewritten. */
export interface FormValidationError {
  name?: string;
  message?: string;
  stack: string;
  params?: any;
  [key: string]: unknown;
}

const CLASS_WORDS: Array<[string, string, string]> = [
  // [the class text, plural words, singular words]
  ['a-z', 'lowercase letters', 'a lowercase letter'],
  ['A-Z', 'uppercase letters', 'an uppercase letter'],
  ['0-9', 'digits', 'a digit'],
  ['-', 'dashes', 'a dash'],
  ['_', 'underscores', 'an underscore'],
  ['.', 'dots', 'a dot'],
];

/** `a-z0-9-` -> ['lowercase letters', 'digits', 'dashes'], or undefined. */
function classWords(body: string, singular = false): string[] | undefined {
  const words: string[] = [];
  let at = 0;
  const startsHere = ([text]: [string, string, string]) =>
    body.startsWith(text, at);
  while (at < body.length) {
    const found = CLASS_WORDS.find(startsHere);
    if (!found) return undefined;
    words.push(singular ? found[2] : found[1]);
    at += found[0].length;
  }
  return words;
}

const list = (words: string[], last = 'and') =>
  words.length < 2
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;

/**
 * A name pattern in words, for the usual shape `^[first][rest]{m,n}$`
 * (e.g. `^[a-z][a-z0-9-]{2,39}$`); undefined for anything else.
 */
export function describePattern(pattern: string): string | undefined {
  const m = /^\^\[([^\]]+)\]\[([^\]]+)\](?:\{(\d+),(\d+)\}|([*+]))\$$/.exec(
    pattern,
  );
  if (!m) return undefined;
  const first = classWords(m[1], true);
  const rest = classWords(m[2]);
  if (!first || !rest) return undefined;
  let length = '';
  if (m[3] !== undefined) {
    length = ` and be ${Number(m[3]) + 1} to ${Number(m[4]) + 1} characters long`;
  }
  return `must start with ${list(first, 'or')}, contain only ${list(rest)}${length}`;
}

/**
 * Rewrites the form's validation errors that would show a regular
 * expression ("must match pattern ^[a-z]…") in words; pass it to the
 * scaffolder page's `formProps.transformErrors`.
 * @public
 */
export function transformSelfServiceFormErrors<T extends FormValidationError>(
  errors: T[],
): T[] {
  return errors.map(error => {
    if (error.name !== 'pattern') return error;
    const pattern = String(error.params?.pattern ?? '');
    const message =
      describePattern(pattern) ??
      'is not in the expected format (see the description under the field)';
    const old = error.message ?? '';
    return {
      ...error,
      message,
      stack:
        old && error.stack.includes(old)
          ? error.stack.replace(old, message)
          : message,
    };
  });
}
