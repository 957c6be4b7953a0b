import { mockServices } from '@backstage/backend-test-utils';
import type {
  RequestState,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import { ALICE, TEAM } from '../__testUtils__/fixtures';
import { RequestNotifier, requestLabel } from './notifier';

function request(id: string, state: RequestState): SelfServiceRequest {
  return {
    id,
    state,
    currentStage: null,
    requester: ALICE,
    team: TEAM,
    templateRef: 'template:default/postgres-database',
    environment: 'dev',
    cost: { currency: 'USD', monthlyTotal: 10, lines: [], unpriced: [] },
    approvalPolicy: { stages: [] },
  } as unknown as SelfServiceRequest;
}

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>(resolve => {
    release = resolve;
  });
  return { promise, release };
}

/**
 * Tells `notifier` that request `id` moved from `from` (null: it was just
 * created) to `to`; a request leaving pending_approval was on stage 0.
 */
function moved(
  notifier: RequestNotifier,
  id: string,
  from: RequestState | null,
  to: RequestState,
) {
  notifier.changed(
    request(id, to),
    from
      ? { state: from, currentStage: from === 'pending_approval' ? 0 : null }
      : undefined,
  );
}

/** A notifier whose notifications go to `send`. */
const notifierSending = (
  send: jest.Mock,
  logger = mockServices.logger.mock(),
) => new RequestNotifier({ notifications: { send } as any, logger });

const titles = (send: jest.Mock) =>
  send.mock.calls.map(([n]) => `${n.payload.link} ${n.payload.title}`);

describe('RequestNotifier', () => {
  it('does not hold up the caller, and delivers the changes of one request in order', async () => {
    const first = deferred();
    const send = jest
      .fn()
      .mockImplementationOnce(() => first.promise)
      .mockResolvedValue(undefined);
    const notifier = notifierSending(send);

    moved(notifier, 'r1', 'pending_approval', 'approved');
    moved(notifier, 'r1', 'applying', 'succeeded');
    moved(notifier, 'r2', 'applying', 'failed');
    // Nothing goes out before the caller has answered its own request.
    expect(send).not.toHaveBeenCalled();
    await new Promise(resolve => setImmediate(resolve));
    // The first is on its way; the second of r1 waits for it, r2 does not.
    expect(titles(send)).toEqual([
      expect.stringMatching(/r1 .*was approved$/),
      expect.stringMatching(/r2 .*failed$/),
    ]);

    let settled = false;
    const done = notifier.settled().then(() => {
      settled = true;
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(settled).toBe(false);
    first.release();
    await done;
    expect(titles(send)).toEqual([
      expect.stringMatching(/r1 .*was approved$/),
      expect.stringMatching(/r2 .*failed$/),
      expect.stringMatching(/r1 .*is provisioned$/),
    ]);
  });

  it("lets a run finish before delivering its own report, unless a person's change or shutdown comes first", async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const notifier = new RequestNotifier({
      notifications: { send } as any,
      logger: mockServices.logger.mock(),
      runSettleMs: 60,
    });
    const byRun = (id: string, from: RequestState, to: RequestState) =>
      notifier.changed(
        request(id, to),
        { state: from, currentStage: null },
        { reportedByRun: true },
      );
    const turn = () => new Promise(resolve => setImmediate(resolve));

    byRun('r1', 'applying', 'succeeded');
    await turn();
    expect(send).not.toHaveBeenCalled();
    await new Promise(resolve => setTimeout(resolve, 120));
    expect(titles(send)).toEqual([
      expect.stringMatching(/r1 .*is provisioned$/),
    ]);

    // Any other change (a decision, a sweep) does not wait behind a run's:
    // both go at once, in order.
    byRun('r2', 'applying', 'succeeded');
    moved(notifier, 'r2', 'succeeded', 'expired');
    await turn();
    await turn();
    expect(titles(send).slice(1)).toEqual([
      expect.stringMatching(/r2 .*is provisioned$/),
      expect.stringMatching(/r2 .*expired$/),
    ]);

    // Shutdown delivers what waits, without waiting.
    byRun('r3', 'applying', 'succeeded');
    const started = Date.now();
    await notifier.settled();
    expect(Date.now() - started).toBeLessThan(50);
    expect(titles(send).at(-1)).toMatch(/r3 .*is provisioned$/);
  });

  it('logs a failed delivery and goes on with the next', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('notifications down'))
      .mockResolvedValue(undefined);
    const logger = mockServices.logger.mock();
    const notifier = notifierSending(send, logger);
    moved(notifier, 'r1', 'pending_approval', 'approved');
    moved(notifier, 'r1', 'applying', 'succeeded');
    await notifier.settled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications down'),
    );
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('tells the requester what a person decided and how it ended, not the automatic or passing steps', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const notifier = notifierSending(send);
    // An auto-approved run: recorded approved, applying, provisioned.
    moved(notifier, 'auto', null, 'approved');
    moved(notifier, 'auto', 'approved', 'applying');
    moved(notifier, 'auto', 'applying', 'succeeded');
    // A run an approver approved.
    moved(notifier, 'decided', 'pending_approval', 'approved');
    moved(notifier, 'decided', 'approved', 'applying');
    await notifier.settled();
    // Requests are delivered independently, so only each one's order holds.
    expect(titles(send).sort()).toEqual([
      expect.stringMatching(/auto .*is provisioned$/),
      expect.stringMatching(/decided .*was approved$/),
    ]);
  });

  it('names the request in words, not by its template ref', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const notifier = notifierSending(send);
    const pending = {
      ...request('r1', 'pending_approval'),
      currentStage: 0,
      parameters: { name: 'orders-db' },
      approvalPolicy: {
        stages: [
          { name: 'team-lead', groups: ['group:default/leads'], quorum: 1 },
        ],
      },
    } as unknown as SelfServiceRequest;
    notifier.changed(pending, undefined);
    notifier.changed(
      { ...pending, state: 'rejected', currentStage: null },
      { state: 'pending_approval', currentStage: 0 },
    );
    await notifier.settled();
    expect(send.mock.calls.map(([n]) => n.payload.title)).toEqual([
      `Approval needed: postgres-database · orders-db (dev) for ${TEAM.split('/').pop()}`,
      'Your request postgres-database · orders-db (dev) was rejected',
    ]);
    // Without a name parameter: the resource name, else the id's start.
    expect(requestLabel(request('0123456789', 'failed'))).toBe(
      'postgres-database · 01234567 (dev)',
    );
  });
});
