/**
 * Reading the `${{ … }}` expressions of a template step the way the
 * scaffolder does, so that two spellings of the same expression compare
 * equal and a value that is not one single expression is told apart.
 */

/**
 * The scaffolder renders a string that is exactly one expression (spaces
 * around it allowed) to the expression's value; anything else is rendered
 * as a string.
 */
const SINGLE_EXPRESSION = /^\s*\$\{\{([^{}]*)\}\}\s*$/;

/**
 * The canonical text of an expression: whitespace collapsed and dropped
 * around `.`, `[`, `]` and `|`, and `a['b']` / `a["b"]` written `a.b`.
 */
export function canonical(expression: string): string {
  return expression
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*([.[\]|])\s*/g, '$1')
    .replace(/\[(['"])([^'"]*)\1\]/g, '.$2');
}

/**
 * The canonical inner text when `value` is a string holding exactly one
 * `${{ … }}` expression, otherwise undefined.
 */
export function singleExpression(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = SINGLE_EXPRESSION.exec(value);
  return match ? canonical(match[1]) : undefined;
}

/** True when a value holds a template expression anywhere inside it. */
export function templated(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (Array.isArray(value)) return value.some(templated);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(
      ([key, inner]) => key.includes('${{') || templated(inner),
    );
  }
  return false;
}

/** Every expression text inside a value (strings at any depth). */
function expressionsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map(m =>
      canonical(m[1]),
    );
  }
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...expressionsIn(key),
      ...expressionsIn(inner),
    ]);
  }
  return [];
}

/** True when an expression inside `value` reads one of the given roots. */
export function reads(value: unknown, roots: string[]): boolean {
  const pattern = new RegExp(`(^|[^\\w.$'"-])(${roots.join('|')})\\b`);
  return expressionsIn(value).some(e => pattern.test(e));
}

/** Input the person starting the task chooses, rather than the backend. */
export const CALLER_ROOTS = ['parameters', 'secrets', 'user'];

/** The ids of the steps an expression text reads (`steps.<id>` or `steps['<id>']`). */
export function stepsRead(expression: string): string[] {
  return [...canonical(expression).matchAll(/\bsteps\.([\w-]+)/g)].map(
    m => m[1],
  );
}

/**
 * Canonical form of a literal directory or module path, so that `terraform`,
 * `./terraform` and `terraform/` compare equal; expressions are kept as their
 * canonical expression text.
 */
export function canonicalPath(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const expression = singleExpression(value);
  if (expression !== undefined) return `\${{ ${expression} }}`;
  if (typeof value !== 'string') return JSON.stringify(value);
  const parts: string[] = [];
  for (const part of value.trim().split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') {
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  const joined = parts.join('/') || '.';
  return value.trim().startsWith('/') ? `/${joined}` : joined;
}
