import { hashPlanSummary } from '@internal/plugin-self-service-node';
import {
  as,
  startHarness,
  type TestHarness,
} from '../../__testUtils__/backend';
import { ALICE, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';

/**
 * A summary with everything issue #14 added (imports, moves, digests of
 * sensitive values, an incomplete plan with a deferred change, a provider
 * action), as terraform:plan outputs it: already redacted.
 */
const SUMMARY = {
  terraformVersion: '1.14.0',
  counts: { create: 0, update: 1, delete: 0, replace: 0, import: 1 },
  resources: [
    {
      address: 'terraform_data.imported',
      type: 'terraform_data',
      name: 'imported',
      mode: 'managed',
      action: 'import',
      importing: true,
      importId: 'existing-object-1',
      changes: [],
    },
    {
      address: 'terraform_data.secret',
      type: 'terraform_data',
      name: 'secret',
      mode: 'managed',
      action: 'update',
      previousAddress: 'terraform_data.old',
      sensitiveDigest: `hmac-sha256:${'a'.repeat(64)}`,
      changes: [
        {
          path: 'input',
          before: '(sensitive)',
          after: '(sensitive)',
          sensitive: true,
        },
        { path: 'output', before: '(sensitive)', afterUnknown: true },
      ],
    },
  ],
  drift: [],
  complete: false,
  deferred: [
    {
      address: 'terraform_data.node[*]',
      action: 'create',
      reason: 'instance_count_unknown',
    },
  ],
  actionInvocations: [
    {
      address: 'action.http_post.notify',
      type: 'http_post',
      triggeredBy: 'terraform_data.secret',
      event: 'AfterUpdate',
      config: [{ path: 'token', after: '(sensitive)', sensitive: true }],
      sensitiveDigest: `hmac-sha256:${'b'.repeat(64)}`,
    },
  ],
};

describe('plan summaries are stored and served as recorded (issue #14)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('keeps imports, moves, digests, deferrals and provider actions, so the plan hash still matches', async () => {
      const body = requestBody({
        planSummary: SUMMARY,
        planHash: hashPlanSummary(SUMMARY as any),
      });
      const created = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      const id = created.body.request.id as string;
      const served = await h.http
        .get(`${API}/requests/${id}`)
        .set('authorization', as.user(ALICE));
      expect(served.status).toBe(200);
      expect(served.body.planSummary).toEqual(SUMMARY);
      expect(hashPlanSummary(served.body.planSummary)).toBe(body.planHash);
    });

    it('refuses a summary whose hash leaves out what the plan does', async () => {
      const { previousAddress, ...unmoved } = SUMMARY.resources[1];
      void previousAddress;
      const body = requestBody({
        planSummary: SUMMARY,
        planHash: hashPlanSummary({
          ...SUMMARY,
          resources: [SUMMARY.resources[0], unmoved],
        } as any),
      });
      const created = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(400);
    });
  });
});
