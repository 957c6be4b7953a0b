/*
 * Issue #13: the controls live in the backend, not in how a template wires
 * its steps. Variants of the shipped PostgreSQL template that turned the
 * controls off (guardrails skipped by an `if:`, the request's stages not
 * wired, the plan fed another parameter than the guardrails checked) are:
 * - refused at catalog ingestion (the default), with a processing error;
 * - and, when a template is in the catalog anyway (checks switched off, or
 *   registered before them), refused by the backend before anything applies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  startFlowBackend,
  TEMPLATE_FILE,
  type FlowBackend,
} from './__testUtils__/harness';
import {
  databaseParameters,
  DEV,
  FlowClient,
  sleep,
} from './__testUtils__/client';
import { applies, standinCalls } from './__testUtils__/standin';

jest.setTimeout(180_000);

type Step = { id: string; if?: string; input?: Record<string, any> };
type Variant = {
  name: string;
  edit(steps: Step[], properties: Record<string, unknown>): void;
};

const step = (steps: Step[], id: string) => steps.find(s => s.id === id)!;

/** The three shapes that applied a production request without approval. */
const VARIANTS: Variant[] = [
  {
    name: 'pg-fast-track',
    edit(steps, properties) {
      properties.fast_track = { type: 'boolean', default: false };
      step(steps, 'guardrails').if = '${{ not parameters.fast_track }}';
    },
  },
  {
    name: 'pg-unwired-stages',
    edit(steps) {
      delete step(steps, 'request').input!.stages;
    },
  },
  {
    name: 'pg-storage-override',
    edit(steps, properties) {
      properties.storage_override = { type: 'integer', default: 5000 };
      step(steps, 'plan').input!.variables.storage_gb =
        '${{ parameters.storage_override }}';
    },
  },
];

/** Writes each variant beside a copy of the template's module. */
function writeVariants(root: string): string[] {
  const source = YAML.parse(fs.readFileSync(TEMPLATE_FILE, 'utf8'));
  return VARIANTS.map(variant => {
    const dir = path.join(root, variant.name);
    fs.cpSync(path.dirname(TEMPLATE_FILE), dir, { recursive: true });
    const template = structuredClone(source);
    template.metadata.name = variant.name;
    template.metadata.title = `${template.metadata.title} (${variant.name})`;
    variant.edit(template.spec.steps, template.spec.parameters[0].properties);
    const file = path.join(dir, 'template.yaml');
    fs.writeFileSync(file, YAML.stringify(template));
    return file;
  });
}

const byName = (name: string) =>
  `/api/catalog/entities/by-name/template/default/${name}`;

describe('flow: template wiring cannot turn the controls off', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-bypass-'));
  const files = writeVariants(root);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('at catalog ingestion (checks enforced, the default)', () => {
    let flow: FlowBackend;
    let api: FlowClient;
    beforeAll(async () => {
      flow = await startFlowBackend({ extraTemplates: files });
      api = new FlowClient(flow.baseUrl);
      await api.waitForCatalog();
    });
    afterAll(() => flow?.stop());

    it('never serves the unsafe variants; the shipped template is there', async () => {
      // The catalog has read the template files when the shipped one is in.
      expect((await api.call('GET', byName('postgres-database'), { as: DEV })).status).toBe(200);
      // Give the other files the same processing rounds.
      await sleep(2000);
      for (const variant of VARIANTS) {
        const res = await api.call('GET', byName(variant.name), { as: DEV });
        expect({ name: variant.name, status: res.status }).toEqual({
          name: variant.name,
          status: 404,
        });
      }
    });
  });

  describe('at run time (checks switched off, templates in the catalog anyway)', () => {
    let flow: FlowBackend;
    let api: FlowClient;
    beforeAll(async () => {
      flow = await startFlowBackend({
        extraTemplates: files,
        selfService: { templateChecks: { enforce: false } },
      });
      api = new FlowClient(flow.baseUrl);
      await api.waitForCatalog();
      for (const variant of VARIANTS) {
        for (let i = 0; i < 300; i += 1) {
          const res = await api.call('GET', byName(variant.name), { as: DEV });
          if (res.status === 200) break;
          await sleep(200);
        }
      }
    });
    afterAll(() => flow?.stop());

    // Why each one stops: the plan has no state key without the guardrails'
    // tags; the backend refuses the template's shape; the backend checks the
    // storage the plan would apply against the template's 500 GB rule.
    it.each([
      ['pg-fast-track', { fast_track: true }, 'team and requestKey are needed'],
      ['pg-unwired-stages', {}, 'cannot gate requests safely'],
      ['pg-storage-override', { storage_override: 5000 }, 'cannot gate requests safely'],
    ])(
      '%s: a production request applies nothing and records no approved request',
      async (name, extra, why) => {
        const values = databaseParameters({
          name: `${name}-db`,
          environment: 'production',
          storage_gb: 100,
          ...extra,
        });
        const taskId = await api.startTaskOk(
          DEV,
          values,
          undefined,
          `template:default/${name}`,
        );
        const task = await api.waitForTask(taskId);
        expect(applies(standinCalls(flow.workDir, taskId))).toEqual([]);
        expect(await api.requestOfTask(taskId)).toBeUndefined();
        expect(task.status).toBe('failed');
        expect(task.log).toContain(why);
      },
    );
  });
});
