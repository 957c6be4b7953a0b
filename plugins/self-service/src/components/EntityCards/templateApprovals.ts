import type { Entity } from '@backstage/catalog-model';

/** One way a template's requests get approved, as its YAML declares it. */
export type TemplateApprover = {
  name: string;
  groups: string[];
  quorum: number;
  /** When the stage applies, e.g. `environment: production`; always when absent. */
  when?: string;
  /** The rule's own explanation. */
  reason?: string;
};

type Step = { action?: unknown; input?: Record<string, unknown> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A literal stage; templated values (`${{ ... }}`) are not stages yet. */
function toStage(
  value: unknown,
): Omit<TemplateApprover, 'when' | 'reason'> | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') {
    return undefined;
  }
  let groups: string[] = [];
  if (Array.isArray(value.groups)) {
    groups = value.groups.filter((g): g is string => typeof g === 'string');
  } else if (typeof value.group === 'string') {
    groups = [value.group];
  }
  if (groups.length === 0) {
    return undefined;
  }
  const quorum =
    typeof value.quorum === 'number' && value.quorum > 0 ? value.quorum : 1;
  return { name: value.name, groups, quorum };
}

function describeWhen(when: unknown): string | undefined {
  if (!isRecord(when)) {
    return undefined;
  }
  const parts = Object.entries(when).map(
    ([key, value]) =>
      `${key} ${typeof value === 'object' ? JSON.stringify(value) : `is ${String(value)}`}`,
  );
  return parts.length ? parts.join(' and ') : undefined;
}

function literalStages(value: unknown): TemplateApprover[] {
  const list = isRecord(value) ? value.stages : value;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.map(toStage).filter((s): s is TemplateApprover => Boolean(s));
}

/**
 * Who approves requests made with a Template: the literal stages of its
 * `self-service:request` step (`stages` or `approvalPolicy`) and the
 * `approvers` of its `self-service:guardrails` rules, with their conditions.
 */
export function templateApprovers(entity: Entity): TemplateApprover[] {
  const steps = (entity.spec?.steps ?? []) as Step[];
  const result: TemplateApprover[] = [];
  for (const step of Array.isArray(steps) ? steps : []) {
    const input = isRecord(step.input) ? step.input : {};
    if (step.action === 'self-service:request') {
      result.push(
        ...literalStages(input.approvalPolicy),
        ...literalStages(input.stages),
      );
    }
    if (step.action === 'self-service:guardrails') {
      result.push(
        ...literalStages(input.approvalPolicy),
        ...literalStages(input.stages),
      );
      const rules = Array.isArray(input.rules) ? input.rules : [];
      for (const rule of rules) {
        if (!isRecord(rule)) continue;
        const approvers = Array.isArray(rule.approvers)
          ? rule.approvers
          : [rule.approvers];
        for (const approver of approvers) {
          const stage = toStage(approver);
          if (stage) {
            result.push({
              ...stage,
              when: describeWhen(rule.when),
              reason:
                typeof rule.message === 'string' ? rule.message : undefined,
            });
          }
        }
      }
    }
  }
  return result;
}
