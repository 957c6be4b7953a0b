import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Apply when the request was auto-approved (or when the backend launched this task after approval)',
    example: stringify({
      steps: [
        {
          id: 'apply',
          name: 'Terraform apply',
          action: 'terraform:apply',
          if: '${{ steps.request.output.approved }}',
          input: {
            parameters: '${{ parameters }}',
            requestId: '${{ steps.request.output.requestId }}',
          },
        },
      ],
    }),
  },
];
