import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Record the request with the guardrail findings, the plan and its cost',
    example: stringify({
      steps: [
        {
          id: 'request',
          name: 'Record request',
          action: 'self-service:request',
          input: {
            parameters: '${{ parameters }}',
            team: '${{ parameters.team }}',
            environment: '${{ parameters.environment }}',
            justification: '${{ parameters.justification }}',
            findings: '${{ steps.guardrails.output.findings }}',
            stages: '${{ steps.guardrails.output.stages }}',
            expiresAt: '${{ steps.guardrails.output.expiresAt }}',
            cost: '${{ steps.plan.output.cost }}',
            planSummary: '${{ steps.plan.output.planSummary }}',
            planHash: '${{ steps.plan.output.planHash }}',
            planFileDigest: '${{ steps.plan.output.planFileDigest }}',
          },
        },
      ],
    }),
  },
];
