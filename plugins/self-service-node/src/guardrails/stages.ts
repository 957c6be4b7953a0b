import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type {
  ApprovalStage,
  Finding,
} from '@internal/plugin-self-service-common';
import type { StageTemplate } from './config';

export const DEFAULT_STAGE = 'team-lead';

function expandGroup(group: string, team: string): string {
  const { namespace, name } = parseEntityRef(team, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  return group
    .replaceAll('{team}', team)
    .replaceAll('{teamName}', name)
    .replaceAll('{teamNamespace}', namespace);
}

/**
 * The approval stages of a request: the template's own stages, then one
 * stage per distinct stage name the require-approval findings ask for
 * (finance last, since it decides on the final cost). Named stages come from
 * rules' inline `approvers` or from config.
 */
export function resolveStages(options: {
  base: ApprovalStage[];
  findings: Finding[];
  inline: ApprovalStage[];
  templates: Record<string, StageTemplate>;
  team: string;
}): { stages: ApprovalStage[]; added: ApprovalStage[] } {
  const have = new Set(options.base.map(s => s.name));
  const wanted: string[] = [];
  for (const finding of options.findings) {
    if (finding.severity !== 'require-approval') continue;
    const name = finding.stage ?? DEFAULT_STAGE;
    if (!have.has(name) && !wanted.includes(name)) wanted.push(name);
  }
  wanted.sort((a, b) => Number(a === 'finance') - Number(b === 'finance'));
  const added = wanted.map(name => {
    const inline = options.inline.find(s => s.name === name);
    if (inline) {
      return {
        ...inline,
        groups: inline.groups.map(g => expandGroup(g, options.team)),
      };
    }
    const template = options.templates[name];
    if (!template) {
      const codes = options.findings
        .filter(f => (f.stage ?? DEFAULT_STAGE) === name)
        .map(f => f.code);
      throw new InputError(
        `approval stage "${name}" (needed by ${codes.join(', ')}) is not defined: add it under selfService.guardrails.stages or give the rule inline approvers`,
      );
    }
    return {
      name,
      groups: template.groups.map(g => expandGroup(g, options.team)),
      quorum: template.quorum,
    };
  });
  return { stages: [...options.base, ...added], added };
}
