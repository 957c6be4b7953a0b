import { as, groups, startHarness, template, type TestHarness } from '../../__testUtils__/backend';
import { ALICE, FINANCE, LEADS, requestBody, TEMPLATE_STEPS } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';

/**
 * Issue #13: what the `self-service:request` step sends is a claim. The
 * backend derives the stages from the catalog's template, the organisation's
 * guardrails and the plan's cost, and the claim can only add to them.
 */
describe('controls the backend derives, whatever the step sends', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    beforeAll(async () => {
      h = await startHarness({
        knex: await databases.init(databaseId),
        config: { selfService: { guardrails: { financeThreshold: 400 } } },
        entities: [...groups('100000', '1000'), template()],
      });
    });
    afterAll(() => h?.stop());

    const create = (patch: Parameters<typeof requestBody>[0]) =>
      h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(requestBody(patch));

    const stageNames = (res: { body: any }) =>
      res.body.request.approvalPolicy.stages.map((s: { name: string }) => s.name);

    it('keeps a production request claiming no stages waiting for the team leads', async () => {
      const res = await create({ environment: 'production', approvalPolicy: { stages: [] }, findings: [] });
      expect(res.status).toBe(201);
      expect(res.body.request.state).toBe('pending_approval');
      expect(stageNames(res)).toEqual(['team-lead']);
      expect(res.body.request.approvalPolicy.stages[0].groups).toEqual([LEADS]);
      expect(res.body.grant).toBeUndefined();
    });

    it('sends a request whose plan costs over the finance threshold to finance', async () => {
      // The price book cannot price the fixture template; the plan's cost stands.
      const res = await create({
        approvalPolicy: { stages: [] },
        cost: { currency: 'USD', monthlyTotal: 450, lines: [], unpriced: [] },
      });
      expect(res.status).toBe(201);
      expect(res.body.request.state).toBe('pending_approval');
      expect(stageNames(res)).toEqual(['finance']);
      expect(res.body.request.approvalPolicy.stages[0].groups).toEqual([FINANCE]);
    });

    it('keeps the stages a step adds, and never lets it widen who decides a derived stage', async () => {
      const res = await create({
        environment: 'production',
        approvalPolicy: {
          stages: [
            { name: 'team-lead', groups: ['group:default/team-a'], quorum: 2 },
            { name: 'dba', groups: ['group:default/dba'], quorum: 1 },
          ],
        },
      });
      expect(res.status).toBe(201);
      const stages = res.body.request.approvalPolicy.stages;
      expect(stages.map((s: { name: string }) => s.name)).toEqual(['team-lead', 'dba']);
      // The team's own members cannot be made its leads; the higher quorum stays.
      expect(stages[0]).toMatchObject({ groups: [LEADS], quorum: 2 });
    });

    it('records the hash of the steps the catalog holds, not the one claimed', async () => {
      const res = await create({ templateStepsHash: 'f'.repeat(64) });
      expect(res.status).toBe(201);
      expect(res.body.request.templateStepsHash).not.toBe('f'.repeat(64));
    });

    it('refuses a request from a catalog template whose shape cannot gate requests', async () => {
      // E.g. registered before the template checks, or with them switched off.
      const skippable = TEMPLATE_STEPS.map(step =>
        step.id === 'guardrails' ? { ...step, if: '${{ not parameters.fast_track }}' } : step,
      );
      const other = await startHarness({
        knex: await databases.init(databaseId),
        entities: [...groups('100000', '1000'), template(skippable)],
      });
      try {
        const res = await other.http
          .post(`${API}/requests`)
          .set('authorization', as.scaffolderFor(ALICE))
          .send(requestBody({ environment: 'production', approvalPolicy: { stages: [] } }));
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('cannot gate requests safely');
        expect(res.body.error.message).toContain("step 'guardrails'");
        expect(res.body.error.message).toContain('if-on-control-step');
        const list = await other.http.get(`${API}/requests`).set('authorization', as.user(ALICE));
        expect(list.body.items).toEqual([]);
      } finally {
        await other.stop();
      }
    });
  });
});
