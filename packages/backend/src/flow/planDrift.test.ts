/*
 * Flow 4 (security invariant 2): what is applied is what was approved. When
 * the module's plan or the template changes between approval and apply,
 * nothing is applied and the request says why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DEV,
  FlowClient,
  LEAD,
  TEMPLATE_REF,
  waitFor,
} from './__testUtils__/client';
import { applies, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: the plan or template changes between approval and apply', () => {
  let flow: FlowBackend;
  let api: FlowClient;
  let createPlan: string;
  let template: string;

  beforeAll(async () => {
    flow = await startFlowBackend({ copyTemplate: true });
    api = new FlowClient(flow.baseUrl);
    createPlan = path.join(flow.fixturesDir, 'create/plan.json');
    template = fs.readFileSync(flow.templateFile, 'utf8');
    await api.waitForCatalog();
  });

  afterAll(async () => {
    await flow?.stop();
  });

  /** Records a production request and passes its first stage. */
  async function approvedOnce(name: string) {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name, environment: 'production' }),
    );
    expect((await api.waitForTask(taskId)).status).toBe('completed');
    const request = (await api.requestOfTask(taskId))!;
    expect((await api.decide(request.id, LEAD, 'approve')).status).toBe(200);
    return { taskId, request };
  }

  it('applies nothing when the module plans something else at apply time', async () => {
    const usageBefore = await api.usage();
    const original = fs.readFileSync(createPlan, 'utf8');
    const { request } = await approvedOnce('orders-drift');
    const reserved = (await api.usage()).budget.reserved;
    expect(reserved).toBeCloseTo(
      usageBefore.budget.reserved + request.cost.monthlyTotal,
      2,
    );

    // The module changed after approval: it now plans a larger instance.
    fs.copyFileSync(
      path.join(flow.fixturesDir, 'create-drifted/plan.json'),
      createPlan,
    );
    try {
      expect((await api.decide(request.id, DBA_ALICE, 'approve')).status).toBe(
        200,
      );
      const failed = await api.waitForState(request.id, [
        'failed',
        'succeeded',
      ]);
      expect(failed.state).toBe('failed');
      expect(failed.stateReason).toContain('plan drifted');
      expect(failed.stateReason).toContain('aws_db_instance.this');
      expect(failed.stateReason).toContain('instance_class');

      const launchedId = failed.taskIds[1];
      const launched = await api.waitForTask(launchedId);
      expect(launched.status).toBe('failed');
      expect(launched.log).toContain(
        'differs from the approved plan, so nothing was applied',
      );
      expect(launched.log).toContain('db.m6g.large');
    } finally {
      fs.writeFileSync(createPlan, original);
    }
    expect(applies(standinCalls(flow.workDir))).toEqual([]);

    // Failing released the reservation, and the requester was told why.
    expect((await api.usage()).budget.reserved).toBeCloseTo(
      usageBefore.budget.reserved,
      2,
    );
    const note = await waitFor('the failure notification', async () =>
      (await api.notifications(DEV)).find(
        n =>
          n.payload.link?.endsWith(request.id) &&
          n.payload.title.endsWith('failed'),
      ),
    );
    expect(note.payload.description).toContain('plan drifted');
  });

  // KNOWN BUG (see the integration report): the template's steps hash is
  // recorded with the request but never compared, so the launched apply
  // phase runs whatever steps the template has *now*, as the self-service
  // plugin's service identity, as long as the Terraform plan is unchanged.
  it('applies nothing, and runs none of its steps, when the template steps were edited after approval', async () => {
    const { request } = await approvedOnce('orders-edited');

    // A step added after approval; it leaves the Terraform plan as it was.
    const edited = template.replace(
      '    - id: apply\n',
      [
        '    - id: added-after-approval',
        '      name: Added after approval',
        '      action: debug:log',
        '      input:',
        '        message: this step was never approved',
        '    - id: apply',
        '',
      ].join('\n'),
    );
    expect(edited).not.toBe(template);
    fs.writeFileSync(flow.templateFile, edited);
    try {
      const refresh = await api.call('POST', '/api/catalog/refresh', {
        as: DEV,
        body: { entityRef: TEMPLATE_REF },
      });
      expect(refresh.status).toBe(200);
      await waitFor('the catalog to serve the edited template', async () => {
        const res = await api.call(
          'GET',
          '/api/catalog/entities/by-name/template/default/postgres-database',
          { as: DEV },
        );
        return res.body?.spec?.steps?.some(
          (s: { id: string }) => s.id === 'added-after-approval',
        )
          ? true
          : undefined;
      });

      expect((await api.decide(request.id, DBA_ALICE, 'approve')).status).toBe(
        200,
      );
      const done = await api.waitForState(request.id, ['failed', 'succeeded']);
      // Refused before launch: no task runs the edited steps at all.
      expect(done.state).toBe('failed');
      expect(done.stateReason).toMatch(/changed since approval/);
      expect(done.taskIds).toHaveLength(1);
      expect(
        applies(standinCalls(flow.workDir)).filter(c =>
          done.taskIds
            .map(id => id.replace(/[^\w.-]/g, '_'))
            .includes(c.taskId),
        ),
      ).toEqual([]);
    } finally {
      fs.writeFileSync(flow.templateFile, template);
    }
  });
});
