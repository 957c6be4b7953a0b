import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ANNOTATION_TEMPLATE_PROBLEMS } from '@internal/plugin-self-service-common';
import { TEMPLATE_STEPS } from '../__testUtils__/fixtures';
import { TemplateChecksProcessor } from './TemplateChecksProcessor';

const location = { type: 'url', target: 'https://git.example/templates/db.yaml' };

const template = (steps: unknown[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 't', annotations: { keep: 'me' } },
  spec: { type: 'database', steps },
});

const withStep = (id: string, patch: object) =>
  TEMPLATE_STEPS.map(step => (step.id === id ? { ...step, ...patch } : step));

async function run(processor: TemplateChecksProcessor, entity: object) {
  const emitted: CatalogProcessorResult[] = [];
  const out = await processor.postProcessEntity(entity as any, location, r => emitted.push(r));
  const errors = emitted.flatMap(r => (r.type === 'error' ? [r.error.message] : []));
  return { out, errors };
}

describe('TemplateChecksProcessor', () => {
  const logger = mockServices.logger.mock();
  const processor = new TemplateChecksProcessor(logger);

  it.each([
    ['an if: on the guardrails step', withStep('guardrails', { if: '${{ not parameters.fast_track }}' }), 'if-on-control-step'],
    ['an each: on the request step', withStep('request', { each: '${{ parameters.names }}' }), 'each-on-gated-step'],
    ['request stages not wired', withStep('request', { input: { ...TEMPLATE_STEPS[2].input, stages: undefined } }), 'request-input-not-wired'],
    ['apply without the approved output', withStep('apply', { if: '${{ parameters.go }}' }), 'apply-if-'],
    ['apply of another module', withStep('apply', { input: { parameters: '${{ parameters }}', module: './other' } }), 'apply-other-module'],
    ['apply before the request', [TEMPLATE_STEPS[0], TEMPLATE_STEPS[1], TEMPLATE_STEPS[3], TEMPLATE_STEPS[2]], 'apply-before-request'],
    ['no request step at all', [TEMPLATE_STEPS[0], TEMPLATE_STEPS[1], TEMPLATE_STEPS[3]], 'request-missing'],
  ])('refuses a template with %s, naming the step and the rule', async (_, steps, code) => {
    const { errors } = await run(processor, template(steps));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('template:default/t');
    expect(errors[0]).toContain(code);
    expect(errors[0]).toMatch(/step '\w+'/);
  });

  it('accepts the shape the shipped templates use, without an annotation', async () => {
    const { out, errors } = await run(processor, template(TEMPLATE_STEPS));
    expect(errors).toEqual([]);
    expect(out.metadata.annotations![ANNOTATION_TEMPLATE_PROBLEMS]).toBeUndefined();
    expect(out.metadata.annotations!.keep).toBe('me');
  });

  it('leaves templates that do not use the self-service actions alone', async () => {
    const plain = template([{ id: 'fetch', action: 'fetch:template', input: { url: './skeleton' } }]);
    const { errors } = await run(processor, plain);
    expect(errors).toEqual([]);
  });

  it('with enforcement off, ingests the template with its problems annotated and warns', async () => {
    const lenient = new TemplateChecksProcessor(
      logger,
      new ConfigReader({ selfService: { templateChecks: { enforce: false } } }),
    );
    const { out, errors } = await run(lenient, template(withStep('guardrails', { if: '${{ true }}' })));
    expect(errors).toEqual([]);
    const problems = JSON.parse(out.metadata.annotations![ANNOTATION_TEMPLATE_PROBLEMS]);
    expect(problems.map((p: { code: string }) => p.code)).toContain('if-on-control-step');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('template:default/t'));
  });

  it('ignores other kinds', async () => {
    const component = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'c' }, spec: {} };
    const { out, errors } = await run(processor, component);
    expect(out).toBe(component);
    expect(errors).toEqual([]);
  });
});
