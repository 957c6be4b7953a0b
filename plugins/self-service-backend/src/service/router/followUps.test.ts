import {
  SELF_SERVICE_CHANGE_OPERATION,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { hashParameters } from '@internal/plugin-self-service-node';
import { as, groups, startHarness, type TestHarness, until } from '../../__testUtils__/backend';
import { ALICE, BOB, DAY, LEADS, MALLORY, TEAM, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const SCAFFOLDER = as.service('plugin:scaffolder');
const DAVE = 'user:default/dave'; // a team-a lead, not in team-a

/**
 * Extensions and day-2 changes through the API, on each database: who may
 * ask, what is approved at once, what waits for the leads, the change
 * ticket's bindings, and what the budget and the resource look like after.
 */
describe('extensions and changes of a live resource', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // Room for every test's resources: the limits are not what is tested here.
      h = await startHarness({ knex, entities: groups('100000', '100') });
    });
    afterAll(() => h?.stop());
    beforeEach(() => {
      h.audits.length = 0;
      h.setPolicy(name =>
        name === 'self-service.admin'
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
    });

    const get = (id: string, user = ALICE) =>
      h.http.get(`/api/self-service/requests/${id}`).set('authorization', as.user(user));
    const usage = async () =>
      (
        await h.http
          .get(`/api/self-service/teams/${encodeURIComponent(TEAM)}/usage`)
          .set('authorization', as.user(ALICE))
      ).body;

    /** Records a request as the run of `user` would, auto-approved or not. */
    async function record(user: string, patch: Parameters<typeof requestBody>[0]) {
      const body = requestBody(patch);
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(user))
        .send(body);
      return { created, body };
    }

    /** Redeems an auto-approval grant and reports success, as the run does. */
    async function applyAuto(
      id: string,
      body: ReturnType<typeof requestBody>,
      token: string,
    ): Promise<SelfServiceRequest> {
      const redeemed = await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', SCAFFOLDER)
        .send({
          requestId: id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash,
          taskId: body.taskId,
          token,
        });
      expect(redeemed.status).toBe(200);
      const done = await h.http
        .post(`/api/self-service/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: body.taskId, outputs: { endpoint: `db-${id}` } });
      expect(done.body.state).toBe('succeeded');
      return done.body;
    }

    /** A live dev database of Alice's at $100 a month, expiring in 7 days. */
    async function liveDev(parameters = { name: `live-${Math.random()}`.slice(0, 20), size: 'small' }) {
      const { created, body } = await record(ALICE, {
        approvalPolicy: { stages: [] },
        parameters,
        parametersHash: hashParameters(parameters),
      });
      expect(created.status).toBe(201);
      const live = await applyAuto(created.body.request.id, body, created.body.grant.token);
      expect(live.expiresAt).toBeDefined();
      return live;
    }

    const extend = (id: string, user: string, body: object) =>
      h.http
        .post(`/api/self-service/requests/${id}/extend`)
        .set('authorization', as.user(user))
        .send(body);

    describe('extensions', () => {
      it('applies an extension within the limit at once, on the timeline, and lets the warnings repeat', async () => {
        const live = await liveDev();
        const detail = (await get(live.id)).body;
        expect(detail).toMatchObject({
          canExtend: true,
          extensionPolicy: { autoApproveDays: 7, maxDays: 30, stage: 'team-lead' },
        });
        await knex('request_notices').insert({
          request_id: live.id,
          kind: `expiry-warning:${DAY}`,
          sent_at: new Date(),
        });
        const before = await usage();

        const res = await extend(live.id, ALICE, { days: 3, reason: 'demo on Friday' });
        expect(res.status).toBe(201);
        expect(res.body.extension).toMatchObject({
          kind: 'extension',
          targetRequestId: live.id,
          state: 'succeeded',
          requester: ALICE,
          extension: {
            days: 3,
            previousExpiresAt: live.expiresAt,
            newExpiresAt: new Date(Date.parse(live.expiresAt!) + 3 * DAY).toISOString(),
          },
        });
        expect(res.body.target.expiresAt).toBe(res.body.extension.extension.newExpiresAt);
        expect(await usage()).toEqual(before);
        expect(await knex('request_notices').where({ request_id: live.id })).toEqual([]);

        const after = (await get(live.id)).body;
        expect(after.expiresAt).toBe(res.body.extension.extension.newExpiresAt);
        expect(after.events.map((e: { action: string }) => e.action)).toEqual(
          expect.arrayContaining(['extension-requested', 'extended']),
        );
        expect(after.followUps).toEqual([
          expect.objectContaining({ id: res.body.extension.id, kind: 'extension', state: 'succeeded' }),
        ]);
        const events = (await get(res.body.extension.id)).body.events.map(
          (e: { action: string }) => e.action,
        );
        expect(events).toEqual(['created', 'auto-approved', 'extending', 'extended']);
        expect(h.audits).toContainEqual(
          expect.objectContaining({ eventId: 'request-extend', outcome: 'success' }),
        );
      });

      it('sends a longer extension to the team leads; its requester cannot approve it, another lead can', async () => {
        const live = await liveDev();
        // Bob is in the team and a lead: he asks, so he may not decide.
        const res = await extend(live.id, BOB, { days: 20 });
        expect(res.status).toBe(201);
        const ext = res.body.extension;
        expect(ext.state).toBe('pending_approval');
        expect(ext.approvalPolicy.stages).toEqual([
          { name: 'team-lead', groups: [LEADS], quorum: 1 },
        ]);
        expect(ext.findings[0]).toMatchObject({
          code: 'lifecycle.extension-beyond-limit',
          severity: 'require-approval',
        });
        expect(res.body.target.expiresAt).toBe(live.expiresAt);
        // In the leads' inbox, like any request.
        const inbox = await h.http.get('/api/self-service/inbox').set('authorization', as.user(DAVE));
        expect(inbox.body.items.map((r: SelfServiceRequest) => r.id)).toContain(ext.id);
        // One open extension at a time.
        expect((await extend(live.id, ALICE, { days: 2 })).status).toBe(409);
        expect((await get(live.id)).body.canExtend).toBe(false);

        const self = await h.http
          .post(`/api/self-service/requests/${ext.id}/decisions`)
          .set('authorization', as.user(BOB))
          .send({ decision: 'approve' });
        expect(self.status).toBe(403);
        const outsider = await h.http
          .post(`/api/self-service/requests/${ext.id}/decisions`)
          .set('authorization', as.user(MALLORY))
          .send({ decision: 'approve' });
        expect(outsider.status).toBe(403);
        expect((await get(live.id)).body.expiresAt).toBe(live.expiresAt);

        const approved = await h.http
          .post(`/api/self-service/requests/${ext.id}/decisions`)
          .set('authorization', as.user(DAVE))
          .send({ decision: 'approve', comment: 'ok for the pilot' });
        expect(approved.status).toBe(200);
        expect(approved.body).toMatchObject({ state: 'succeeded' });
        const target = (await get(live.id)).body;
        expect(target.expiresAt).toBe(
          new Date(Date.parse(live.expiresAt!) + 20 * DAY).toISOString(),
        );
        // Its grant was used up: nothing can redeem it.
        const grants = await knex('grants').where({ request_id: ext.id });
        expect(grants.every(g => g.consumed_at !== null)).toBe(true);
      });

      it('refuses what it cannot do with a 4xx that names why, and changes nothing', async () => {
        const live = await liveDev();
        const tooLong = await extend(live.id, ALICE, { days: 31 });
        expect(tooLong.status).toBe(400);
        expect(tooLong.body.error.message).toBe('days: at most 30 days for dev in one extension, not 31');
        const zero = await extend(live.id, ALICE, { days: 0 });
        expect(zero.status).toBe(400);
        expect(zero.body.error.message).toContain('days');
        expect((await extend(live.id, ALICE, { days: 2, extra: 1 })).status).toBe(400);
        expect((await extend(live.id, MALLORY, { days: 2 })).status).toBe(403);
        expect((await get(live.id)).body.followUps).toEqual([]);

        // Production resources do not expire: nothing to extend.
        const { created } = await record(ALICE, { environment: 'production' });
        const prod = created.body.request;
        expect((await extend(prod.id, ALICE, { days: 2 })).status).toBe(409);
        expect((await extend(crypto.randomUUID(), ALICE, { days: 2 })).status).toBe(404);
        // A follow-up is a request: a policy that forbids creating them forbids it.
        h.setPolicy(name =>
          name === 'self-service.request.create' || name === 'self-service.admin'
            ? { result: AuthorizeResult.DENY }
            : { result: AuthorizeResult.ALLOW },
        );
        const denied = await extend(live.id, ALICE, { days: 2 });
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toContain('permission policy');
      });
    });

    describe('changes', () => {
      const startChange = (id: string, user: string, parameters: object) =>
        h.http
          .post(`/api/self-service/requests/${id}/changes`)
          .set('authorization', as.user(user))
          .send({ parameters });

      /** Starts a change as Alice; returns what the fake scaffolder was asked to run. */
      async function launched(target: SelfServiceRequest, parameters: Record<string, unknown>) {
        const before = h.launches.length;
        const res = await startChange(target.id, ALICE, parameters);
        expect(res.status).toBe(202);
        expect(h.launches).toHaveLength(before + 1);
        const launch = h.launches.at(-1)!;
        expect(res.body).toEqual({
          taskId: `launched-task-${h.launches.length}`,
          taskPath: `/create/tasks/launched-task-${h.launches.length}`,
        });
        return { taskId: res.body.taskId as string, launch };
      }

      /** The change request the launched run records. */
      function changeBody(
        target: SelfServiceRequest,
        parameters: Record<string, unknown>,
        taskId: string,
        token: string,
        monthly: number,
      ) {
        return requestBody({
          parameters,
          parametersHash: hashParameters(parameters),
          cost: { currency: 'USD', monthlyTotal: monthly, lines: [], unpriced: [] },
          approvalPolicy: { stages: [] },
          taskId,
          changeOf: target.id,
          changeToken: token,
        });
      }

      it('launches the template as the person asking, records the change with its ticket once, and moves the budget on success', async () => {
        const live = await liveDev();
        const bigger = { ...live.parameters, size: 'large' };
        const before = await usage();
        const { taskId, launch } = await launched(live, bigger);
        // Their own run, with the template, the new values and the ticket.
        expect(launch.subject).toBe(ALICE);
        expect(launch.body).toMatchObject({
          templateRef: live.templateRef,
          values: bigger,
          secrets: {
            selfServiceRequestId: live.id,
            selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
          },
        });
        const ticket: string = launch.body.secrets.selfServiceGrantToken;
        expect(ticket.length).toBeGreaterThan(16);
        expect((await get(live.id)).body.events.at(-1)).toMatchObject({ action: 'change-launched' });

        // The run's plan step may check the ticket before Terraform runs.
        const check = await h.http
          .post('/api/self-service/grants/check')
          .set('authorization', SCAFFOLDER)
          .send({
            requestId: live.id,
            templateRef: live.templateRef,
            parametersHash: hashParameters(bigger),
            taskId,
            token: ticket,
            purpose: 'change',
          });
        expect(check.status).toBe(200);

        // Without the ticket, with other parameters or from another task: refused.
        const noTicket = await record(ALICE, {
          ...changeBody(live, bigger, taskId, ticket, 150),
          changeToken: undefined,
        });
        expect(noTicket.created.status).toBe(403);
        expect(noTicket.created.body.error.message).toContain('changeToken');
        const otherParams = { ...bigger, size: 'xlarge' };
        const wrong = await record(ALICE, changeBody(live, otherParams, taskId, ticket, 150));
        expect(wrong.created.status).toBe(403);
        expect(wrong.created.body.error.message).toContain('parameters differ');
        const otherTask = await record(ALICE, changeBody(live, bigger, 'someone-elses-task', ticket, 150));
        expect(otherTask.created.status).toBe(403);
        expect(otherTask.created.body.error.message).toContain('another scaffolder task');

        const { created, body } = await record(ALICE, changeBody(live, bigger, taskId, ticket, 150));
        expect(created.status).toBe(201);
        const change = created.body.request;
        expect(change).toMatchObject({
          kind: 'change',
          targetRequestId: live.id,
          previousMonthlyCost: 100,
          stateKey: live.stateKey,
          state: 'approved',
        });
        expect(change.expiresAt).toBeUndefined();
        // It keeps the resource's expiry, so no TTL counted from today is shown.
        expect(live.findings.map((f: { code: string }) => f.code)).toContain('environment.ttl');
        expect(change.findings.map((f: { code: string }) => f.code)).not.toContain('environment.ttl');
        // It reserves the $50 it adds, and no second resource.
        const during = await usage();
        expect(during.budget.reserved).toBeCloseTo(before.budget.reserved + 50, 2);
        expect(during.quota.reserved).toBe(before.quota.reserved);
        // The ticket is used up: a replay from another run is refused.
        const replay = await record(ALICE, changeBody(live, bigger, 'replayed-task', ticket, 150));
        expect(replay.created.status).toBe(403);
        expect(replay.created.body.error.message).toContain('already used');
        // No tear-down and no second change while it is open.
        expect(
          (await h.http.post(`/api/self-service/requests/${live.id}/destroy`).set('authorization', as.user(ALICE)).send({})).status,
        ).toBe(409);
        expect((await startChange(live.id, ALICE, bigger)).status).toBe(409);
        expect((await get(live.id)).body).toMatchObject({ canChange: false, canDestroy: false });

        h.events.publish.mockClear();
        await applyAuto(change.id, body, created.body.grant.token);
        const target = (await get(live.id)).body;
        expect(target).toMatchObject({
          state: 'succeeded',
          parameters: bigger,
          cost: { monthlyTotal: 150 },
          outputs: { endpoint: `db-${change.id}` },
          expiresAt: live.expiresAt,
          canChange: true,
        });
        expect(target.events.at(-1)).toMatchObject({
          action: 'changed',
          reason: `change ${change.id} applied: $100 → $150 per month`,
        });
        // Its requester hears the change was applied (it made no new resource).
        await until(() =>
          h.notifications.send.mock.calls.some(([n]: any[]) =>
            n.payload.link?.endsWith(change.id),
          ),
        );
        const told = h.notifications.send.mock.calls
          .map(([n]: any[]) => n)
          .find((n: any) => n.payload.link?.endsWith(change.id));
        expect(told.payload.title).toMatch(/^Your request change of .* was applied$/);
        const after = await usage();
        expect(after.budget.live).toBeCloseTo(before.budget.live + 50, 2);
        expect(after.budget.reserved).toBeCloseTo(before.budget.reserved, 2);
        expect(after.quota.live).toBe(before.quota.live);
        // The catalog is told about the resource, never about the change.
        await new Promise(resolve => setTimeout(resolve, 50));
        const announced = h.events.publish.mock.calls.map(
          ([e]: any[]) => e.eventPayload.requestId,
        );
        expect(announced).toContain(live.id);
        expect(announced).not.toContain(change.id);
        const resources = await h.http
          .get('/api/self-service/resources')
          .set('authorization', as.service('plugin:catalog'));
        const ids = resources.body.map((r: { requestId: string }) => r.requestId);
        expect(ids).toContain(live.id);
        expect(ids).not.toContain(change.id);
      });

      it('reserves nothing for a change that lowers the cost, and refuses moving teams or a stranger', async () => {
        const live = await liveDev();
        const before = await usage();
        expect((await startChange(live.id, MALLORY, live.parameters)).status).toBe(403);
        const moved = await startChange(live.id, ALICE, { ...live.parameters, team: 'group:default/team-b' });
        expect(moved.status).toBe(400);
        expect(moved.body.error.message).toContain('parameters.team');
        const env = await startChange(live.id, ALICE, { ...live.parameters, environment: 'production' });
        expect(env.status).toBe(400);
        expect(env.body.error.message).toContain('parameters.environment');

        const smaller = { ...live.parameters, size: 'tiny' };
        const { taskId, launch } = await launched(live, smaller);
        const ticket = launch.body.secrets.selfServiceGrantToken;
        // The run's body must keep the resource's team.
        const otherTeam = await record(ALICE, {
          ...changeBody(live, smaller, taskId, ticket, 40),
          team: 'group:default/team-b',
        });
        expect(otherTeam.created.status).toBe(403);
        const { created } = await record(ALICE, changeBody(live, smaller, taskId, ticket, 40));
        expect(created.status).toBe(201);
        expect((await usage()).budget.reserved).toBeCloseTo(before.budget.reserved, 2);
      });
    });
  });
});
