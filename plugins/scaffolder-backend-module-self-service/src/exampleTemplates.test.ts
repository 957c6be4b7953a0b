import { checkTemplate } from '@internal/plugin-self-service-common';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const TEMPLATES = resolve(__dirname, '../../../examples/templates');
const names = readdirSync(TEMPLATES).filter(name =>
  readdirSync(join(TEMPLATES, name)).includes('template.yaml'),
);

describe('example templates', () => {
  it('exist', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  it.each(names)('%s passes checkTemplate and tears down after apply', name => {
    const template = parseYaml(
      readFileSync(join(TEMPLATES, name, 'template.yaml'), 'utf8'),
    );
    expect(checkTemplate(template.spec)).toEqual([]);
    const steps: Array<{ id: string; action: string; if?: string }> =
      template.spec.steps;
    const apply = steps.findIndex(s => s.action === 'terraform:apply');
    const destroy = steps.findIndex(s => s.action === 'terraform:destroy');
    expect(destroy).toBe(apply + 1);
    expect(steps[destroy]).toMatchObject({
      id: 'destroy',
      if: '${{ steps.request.output.destroy }}',
      input: { parameters: '${{ parameters }}' },
    });
  });
});
