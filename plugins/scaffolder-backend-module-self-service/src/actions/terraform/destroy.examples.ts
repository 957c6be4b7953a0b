import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Tear down a request's resources in a task the self-service backend launched (request id and grant come from the task secrets)",
    example: stringify({
      steps: [
        {
          id: 'destroy',
          name: 'Terraform destroy',
          action: 'terraform:destroy',
          input: {
            module: './module',
            parameters: '${{ parameters }}',
            variables: {
              name: '${{ parameters.name }}',
              instance_size: '${{ parameters.instance_size }}',
              storage_gb: '${{ parameters.storage_gb }}',
            },
          },
        },
      ],
    }),
  },
];
