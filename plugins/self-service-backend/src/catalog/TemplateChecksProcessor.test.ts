import { mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_TEMPLATE_PROBLEMS } from '@internal/plugin-self-service-common';
import { TemplateChecksProcessor } from './TemplateChecksProcessor';

const template = (steps: unknown[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 't', annotations: { keep: 'me' } },
  spec: { type: 'database', steps },
});

describe('TemplateChecksProcessor', () => {
  const logger = mockServices.logger.mock();
  const processor = new TemplateChecksProcessor(logger);

  it('annotates a template that applies before recording a request, and warns', async () => {
    const out = await processor.postProcessEntity(
      template([
        { id: 'apply', action: 'terraform:apply' },
        { id: 'request', action: 'self-service:request' },
      ]) as any,
    );
    const problems = JSON.parse(out.metadata.annotations![ANNOTATION_TEMPLATE_PROBLEMS]);
    expect(problems.map((p: any) => p.code)).toContain('apply-before-request');
    expect(out.metadata.annotations!.keep).toBe('me');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('template:default/t'));
  });

  it('leaves a correct template without the annotation', async () => {
    const out = await processor.postProcessEntity(
      template([
        { id: 'request', action: 'self-service:request' },
        { id: 'apply', action: 'terraform:apply', if: '${{ steps.request.output.approved }}' },
      ]) as any,
    );
    expect(out.metadata.annotations![ANNOTATION_TEMPLATE_PROBLEMS]).toBeUndefined();
  });

  it('ignores other kinds', async () => {
    const component = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'c' }, spec: {} };
    expect(await processor.postProcessEntity(component as any)).toBe(component);
  });
});
