import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  as,
  groups,
  startHarness,
  type TestHarness,
} from '../../__testUtils__/backend';
import { ALICE, requestBody, sha } from '../../__testUtils__/fixtures';
import { createTestDatabases, snapshot } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';
const SCAFFOLDER = as.service('plugin:scaffolder');

/**
 * `POST /grants/check`: what a launched run asks before any Terraform
 * command. It answers with what the grant is bound to, or names the field
 * that does not match, and never redeems or changes anything.
 */
describe('POST /grants/check', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // Room for every request the tests record.
      h = await startHarness({ knex, entities: groups('100000', '1000') });
    });
    afterAll(() => h?.stop());

    /** An auto-approved request: its apply grant is bound to the creating task. */
    async function approved() {
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const res = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(res.status).toBe(201);
      const id: string = res.body.request.id;
      const claim = {
        requestId: id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        taskId: body.taskId,
        token: res.body.grant.token as string,
      };
      const check = (patch: object = {}, auth = SCAFFOLDER) =>
        h.http
          .post(`${API}/grants/check`)
          .set('authorization', auth)
          .send({ ...claim, ...patch });
      const redeem = () =>
        h.http
          .post(`${API}/grants/redeem`)
          .set('authorization', SCAFFOLDER)
          .send({ ...claim, planHash: body.planHash });
      return { id, body, claim, check, redeem };
    }

    /** Refused with the status and message, the request untouched, the refusal audited. */
    async function expectRefused(
      id: string,
      call: () => Promise<{ status: number; body: any }>,
      status: number,
      message: string,
    ) {
      const before = await snapshot(knex, id);
      const res = await call();
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
      expect(await snapshot(knex, id)).toEqual(before);
      expect(h.audits.at(-1)).toMatchObject({
        eventId: 'grant-check',
        outcome: 'fail',
      });
      return res;
    }

    it('answers what a valid grant is bound to, redeems nothing, and audits the check', async () => {
      const { id, body, check, redeem } = await approved();
      const before = await snapshot(knex, id);
      const res = await check();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        grantId: expect.any(String),
        requestId: id,
        purpose: 'apply',
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash,
        taskId: body.taskId,
        expiresAt: expect.any(String),
        checked: [
          'token',
          'purpose',
          'templateRef',
          'parametersHash',
          'taskId',
        ],
      });
      expect(JSON.stringify(res.body)).not.toContain(
        before.grants[0].token_hash,
      );
      expect(await snapshot(knex, id)).toEqual(before);
      expect(h.audits.at(-1)).toMatchObject({
        eventId: 'grant-check',
        outcome: 'success',
        meta: { requestId: id, taskId: body.taskId, purpose: 'apply' },
      });
      // Checking twice is fine, and the grant still redeems afterwards.
      expect((await check()).status).toBe(200);
      expect((await check({ planHash: body.planHash })).body.checked).toContain(
        'planHash',
      );
      expect((await redeem()).status).toBe(200);
    });

    it('refuses a wrong token, saying no more than for a request that does not exist', async () => {
      const { id, check } = await approved();
      const wrong = await expectRefused(
        id,
        () => check({ token: 'y'.repeat(43) }),
        403,
        'token:',
      );
      const missing = randomUUID();
      const none = await check({ requestId: missing, token: 'y'.repeat(43) });
      expect(none.status).toBe(403);
      expect(none.body.error.message.replace(missing, '<id>')).toBe(
        wrong.body.error.message.replace(id, '<id>'),
      );
      // A wrong token learns nothing of the bindings either.
      const both = await check({
        token: 'y'.repeat(43),
        templateRef: 'template:default/other',
      });
      expect(both.body.error.message).toContain('token:');
      expect(both.body.error.message).not.toContain('templateRef');
    });

    it('refuses a redeemed grant', async () => {
      const { id, check, redeem } = await approved();
      expect((await redeem()).status).toBe(200);
      await expectRefused(id, () => check(), 409, 'already redeemed');
    });

    it('refuses an expired grant', async () => {
      const { id, check } = await approved();
      await knex('grants')
        .where({ request_id: id })
        .update({ expires_at: new Date(Date.now() - 60_000) });
      await expectRefused(id, () => check(), 403, 'expired at');
    });

    it.each([
      [
        'another template',
        { templateRef: 'template:default/message-queue' },
        'templateRef: the grant is bound to template:default/postgres-database',
      ],
      [
        'other parameters',
        { parametersHash: sha('other parameters') },
        'parametersHash',
      ],
      ['another plan', { planHash: sha('another plan') }, 'planHash'],
      ['another task', { taskId: 'task-of-somebody-else' }, 'taskId'],
      [
        'the destroy operation with an apply grant',
        { purpose: 'destroy' },
        'purpose: the grant of request',
      ],
    ])('refuses %s, naming the field', async (_label, patch, message) => {
      const { id, check } = await approved();
      await expectRefused(id, () => check(patch), 403, message);
    });

    it('refuses bad bodies with a 400 naming the field', async () => {
      const { id, check } = await approved();
      await expectRefused(id, () => check({ token: undefined }), 400, 'token');
      await expectRefused(
        id,
        () => check({ requestId: 'not-a-uuid' }),
        400,
        'requestId',
      );
      await expectRefused(
        id,
        () => check({ purpose: 'import' }),
        400,
        'purpose',
      );
      await expectRefused(id, () => check({ extra: true }), 400, 'extra');
    });

    it('admits only the scaffolder', async () => {
      const { id, check } = await approved();
      await expectRefused(
        id,
        () => check({}, as.user(ALICE)),
        403,
        "does not allow 'user'",
      );
      await expectRefused(
        id,
        () => check({}, as.scaffolderFor(ALICE)),
        403,
        "does not allow 'user'",
      );
      await expectRefused(
        id,
        () => check({}, as.service('plugin:catalog')),
        403,
        'Only plugin:scaffolder',
      );
    });

    it('checks a destroy grant for the launched tear-down, and refuses it for an apply', async () => {
      const { id, claim, redeem } = await approved();
      expect((await redeem()).status).toBe(200);
      const done = await h.http
        .post(`${API}/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: claim.taskId });
      expect(done.body.state).toBe('succeeded');
      const started = await h.http
        .post(`${API}/requests/${id}/destroy`)
        .set('authorization', as.user(ALICE))
        .send({});
      expect(started.status).toBe(200);
      const launch = h.launches.at(-1)!;
      expect(launch.body.secrets.selfServiceRequestId).toBe(id);
      const taskId: string = started.body.taskIds.at(-1);
      const destroyClaim = {
        ...claim,
        taskId,
        token: launch.body.secrets.selfServiceGrantToken,
      };
      const check = (patch: object = {}) =>
        h.http
          .post(`${API}/grants/check`)
          .set('authorization', SCAFFOLDER)
          .send({ ...destroyClaim, ...patch });

      const ok = await check({ purpose: 'destroy' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        purpose: 'destroy',
        planHash: null,
        taskId,
      });
      await expectRefused(
        id,
        () => check(),
        403,
        'purpose: the grant of request',
      );
      await expectRefused(
        id,
        () => check({ purpose: 'destroy', taskId: 'task-of-somebody-else' }),
        403,
        'taskId',
      );
      // The spent apply grant's token does not open the tear-down.
      await expectRefused(
        id,
        () => check({ purpose: 'destroy', token: claim.token }),
        403,
        'purpose',
      );
    });
  });
});
