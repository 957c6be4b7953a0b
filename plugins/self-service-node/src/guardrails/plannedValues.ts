/**
 * What a template hands Terraform, worked out from the template as the
 * catalog holds it and the submitted parameters: the `variables` input of its
 * `terraform:plan` step, with each `${{ parameters.x }}` replaced by the
 * parameter's value. Policy rules are then checked against these values as
 * well as against the parameters, so a rule cannot pass on one parameter
 * while the plan is fed another.
 *
 * Only plain parameter references are rendered. Anything else (filters,
 * operators, other steps' outputs) is kept as an {@link Unrenderable}, and a
 * rule that reads one fails rather than guess: the backend never evaluates
 * template code.
 */

/** A value the backend cannot work out without running template code. @public */
export class Unrenderable {
  constructor(readonly expression: string) {}
}

const WHOLE = /^\$\{\{\s*([^}]*?)\s*\}\}$/;
const ANY = /\$\{\{\s*([^}]*?)\s*\}\}/g;
// parameters, parameters.a.b, parameters['a'], parameters["a"].b
const PARAMETER_PATH =
  /^parameters((?:\.[A-Za-z_$][\w$-]*|\[\s*'[^']*'\s*\]|\[\s*"[^"]*"\s*\])*)$/;
const SEGMENT = /\.([A-Za-z_$][\w$-]*)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/g;

const MISSING = Symbol('missing');

function lookup(
  expression: string,
  parameters: Record<string, unknown>,
): unknown | typeof MISSING | Unrenderable {
  const match = PARAMETER_PATH.exec(expression.trim());
  if (!match) return new Unrenderable(expression);
  let current: unknown = parameters;
  for (const segment of match[1].matchAll(SEGMENT)) {
    const key = segment[1] ?? segment[2] ?? segment[3];
    if (
      current === null ||
      typeof current !== 'object' ||
      !Object.prototype.hasOwnProperty.call(current, key)
    ) {
      return MISSING;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Renders one input value the way the scaffolder would, for plain references. @public */
export function renderTemplateValue(
  value: unknown,
  parameters: Record<string, unknown>,
): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value.trim());
    if (whole) {
      const result = lookup(whole[1], parameters);
      return result === MISSING ? undefined : result;
    }
    if (!value.includes('${{')) return value;
    let unrenderable: Unrenderable | undefined;
    const text = value.replace(ANY, (_, expression: string) => {
      const result = lookup(expression, parameters);
      if (result instanceof Unrenderable) unrenderable = result;
      return result === MISSING || result === undefined || result === null
        ? ''
        : String(result);
    });
    return unrenderable ? new Unrenderable(value) : text;
  }
  if (Array.isArray(value)) {
    return value.map(item => renderTemplateValue(item, parameters));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        renderTemplateValue(item, parameters),
      ]),
    );
  }
  return value;
}

/**
 * The module variables a `terraform:plan` step input passes, rendered. An
 * input that renders to something other than an object (e.g. an expression
 * the backend cannot evaluate) is reported as one {@link Unrenderable}.
 * @public
 */
export function plannedVariables(
  variablesInput: unknown,
  parameters: Record<string, unknown>,
): Record<string, unknown> | Unrenderable {
  if (variablesInput === undefined || variablesInput === null) return {};
  const rendered = renderTemplateValue(variablesInput, parameters);
  if (rendered instanceof Unrenderable) return rendered;
  if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) {
    return new Unrenderable(JSON.stringify(variablesInput));
  }
  return rendered as Record<string, unknown>;
}
