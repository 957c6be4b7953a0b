import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Plan the template's module with its parameters and the guardrails' auto-tags",
    example: stringify({
      steps: [
        {
          id: 'plan',
          name: 'Terraform plan',
          action: 'terraform:plan',
          input: {
            module: './module',
            variables: {
              name: '${{ parameters.name }}',
              instance_size: '${{ parameters.instance_size }}',
              storage_gb: '${{ parameters.storage_gb }}',
            },
            tags: '${{ steps.guardrails.output.tags }}',
            team: '${{ steps.guardrails.output.team }}',
            requestKey: '${{ steps.guardrails.output.requestKey }}',
          },
        },
      ],
    }),
  },
];
