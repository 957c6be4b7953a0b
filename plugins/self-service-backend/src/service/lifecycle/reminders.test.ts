import { NotAllowedError } from '@backstage/errors';
import {
  ALICE,
  BOB,
  CAROL,
  DAY,
  FINANCE,
  HOUR,
  LEADS,
} from '../../__testUtils__/fixtures';
import { lifecycleHarness } from '../../__testUtils__/lifecycle';
import { createTestDatabases } from '../../__testUtils__/store';
import { remindApprovers } from './reminders';

jest.setTimeout(60_000);

const PLATFORM = 'group:default/platform';
const PETE = 'user:default/pete'; // platform engineer

describe('approver reminders and escalation', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('reminds the stage approvers after 24 h and escalates to the fallback group after 48 h, each once', async () => {
      const h = await lifecycleHarness({
        databases,
        databaseId,
        lifecycle: { escalateTo: PLATFORM },
      });
      const request = await h.pending();

      h.advance(24 * HOUR - 1);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
      h.advance(1);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 1, escalated: 0 });
      expect(h.sent('self-service-approval')).toEqual([
        {
          recipients: { type: 'entity', entityRef: [LEADS], excludeEntityRef: [ALICE] },
          payload: expect.objectContaining({
            title: expect.stringContaining('Reminder: approval needed'),
            scope: `self-service:${request.id}:reminder:0`,
          }),
        },
      ]);
      h.advance(HOUR);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });

      // Nobody in the platform group can decide it yet.
      const inboxOf = (user: string, groups: string[]) =>
        h.store.listInbox({ userEntityRef: user, ownershipEntityRefs: [user, ...groups], now: h.clock.now, limit: 10 });
      expect((await inboxOf(PETE, [PLATFORM])).items).toEqual([]);

      h.advance(23 * HOUR);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 1 });
      const detail = await h.store.getRequestDetail(request.id);
      expect(detail!.approvalPolicy.stages[0].groups).toEqual([LEADS, PLATFORM]);
      expect(detail!.state).toBe('pending_approval');
      expect(detail!.events[detail!.events.length - 1]).toMatchObject({
        actor: 'plugin:self-service',
        action: 'escalated',
        fromState: 'pending_approval',
        toState: 'pending_approval',
        reason: `nobody decided stage 'team-lead' within 2 days; ${PLATFORM} added as its approvers`,
      });
      expect(h.sent('self-service-approval')[1]).toEqual({
        recipients: { type: 'entity', entityRef: PLATFORM, excludeEntityRef: [ALICE] },
        payload: expect.objectContaining({ title: expect.stringContaining('Escalated') }),
      });
      expect((await inboxOf(PETE, [PLATFORM])).items.map(r => r.id)).toEqual([request.id]);
      // The requester, though in the platform group, still may not approve.
      expect((await inboxOf(ALICE, [PLATFORM])).items).toEqual([]);
      await expect(
        h.store.decide({
          id: request.id,
          decider: { userEntityRef: ALICE, ownershipEntityRefs: [ALICE, PLATFORM] },
          decision: 'approve',
          now: h.clock.now,
          grantTtlMs: HOUR,
        }),
      ).rejects.toThrow(NotAllowedError);

      h.advance(DAY);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
      expect(h.sent('self-service-approval')).toHaveLength(2);

      // A platform engineer decides it like a stage approver.
      const decided = await h.store.decide({
        id: request.id,
        decider: { userEntityRef: PETE, ownershipEntityRefs: [PETE, PLATFORM] },
        decision: 'approve',
        now: h.clock.now,
        grantTtlMs: HOUR,
      });
      expect(decided.request.state).toBe('approved');
    });

    it('counts a later stage from when the stage before passed, and skips who already decided', async () => {
      const h = await lifecycleHarness({ databases, databaseId });
      const request = await h.pending({
        approvalPolicy: {
          stages: [
            { name: 'team-lead', groups: [LEADS], quorum: 1 },
            { name: 'finance', groups: [FINANCE], quorum: 2 },
          ],
        },
      });
      h.advance(10 * HOUR);
      await h.store.decide({
        id: request.id,
        decider: { userEntityRef: BOB, ownershipEntityRefs: [BOB, LEADS] },
        decision: 'approve',
        now: h.clock.now,
        grantTtlMs: HOUR,
      });
      h.advance(6 * HOUR);
      await h.store.decide({
        id: request.id,
        decider: { userEntityRef: CAROL, ownershipEntityRefs: [CAROL, FINANCE] },
        decision: 'approve',
        now: h.clock.now,
        grantTtlMs: HOUR,
      });
      // 24 h after the request, but finance has waited only 14 h.
      h.advance(8 * HOUR);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
      h.advance(10 * HOUR - 1);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
      h.advance(1);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 1, escalated: 0 });
      expect(h.sent('self-service-approval')).toEqual([
        {
          recipients: { type: 'entity', entityRef: [FINANCE], excludeEntityRef: [ALICE, CAROL] },
          payload: expect.objectContaining({ scope: `self-service:${request.id}:reminder:1` }),
        },
      ]);
      // No fallback group configured: no escalation, however long it waits.
      h.advance(5 * DAY);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
    });

    it('leaves a request past its decision deadline to the expiry sweep', async () => {
      const h = await lifecycleHarness({
        databases,
        databaseId,
        lifecycle: { escalateTo: PLATFORM },
      });
      await h.pending(); // decided within 7 days or expired
      h.advance(7 * DAY);
      expect(await remindApprovers(h.deps)).toEqual({ reminded: 0, escalated: 0 });
      expect(h.sent('self-service-approval')).toEqual([]);
    });
  });
});
