import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Price the form's parameters with the template's price book entry",
    example: stringify({
      steps: [
        {
          id: 'estimate',
          name: 'Estimate cost',
          action: 'self-service:cost:estimate',
          input: {
            template: 'postgres-database',
            parameters: {
              instance_size: '${{ parameters.instance_size }}',
              storage_gb: '${{ parameters.storage_gb }}',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Price a saved Terraform plan (terraform show -json output) in the workspace',
    example: stringify({
      steps: [
        {
          id: 'estimate-plan',
          name: 'Estimate cost from a plan',
          action: 'self-service:cost:estimate',
          input: { planJsonPath: 'plan.json' },
        },
      ],
    }),
  },
];
