import { SELF_SERVICE_CHANGE_OPERATION } from '@internal/plugin-self-service-common';
import { HeldGrants, resolveGrant } from './grant';

describe('HeldGrants', () => {
  const inAMinute = () => new Date(Date.now() + 60_000);

  it('holds one grant per task until released, handing out copies', () => {
    const held = new HeldGrants();
    held.hold('task-1', { requestId: 'r1', token: 't1' }, inAMinute());
    held.hold('task-2', { requestId: 'r2', token: 't2' }, inAMinute());
    const copy = held.get('task-1')!;
    copy.token = 'forged';
    expect(held.get('task-1')).toEqual({ requestId: 'r1', token: 't1' });
    held.release('task-1');
    expect(held.get('task-1')).toBeUndefined();
    expect(held.get('task-2')).toEqual({ requestId: 'r2', token: 't2' });
  });

  it('drops a grant once it has expired', () => {
    const held = new HeldGrants();
    held.hold(
      'task-1',
      { requestId: 'r1', token: 't1' },
      new Date(Date.now() - 1),
    );
    expect(held.get('task-1')).toBeUndefined();
  });

  it('gives a task only its own grant, and only for the named request', () => {
    const held = new HeldGrants();
    held.hold('task-1', { requestId: 'r1', token: 't1' }, inAMinute());
    const ctx = (id: string, requestId?: string) => ({
      task: { id },
      input: { requestId },
    });
    expect(resolveGrant(ctx('task-1'), held)).toEqual({
      requestId: 'r1',
      token: 't1',
      source: 'request step',
    });
    expect(() => resolveGrant(ctx('task-2'), held)).toThrow(
      'No grant to redeem',
    );
    expect(() => resolveGrant(ctx('task-1', 'r9'), held)).toThrow(
      'No grant to redeem',
    );
  });

  it("never takes a change run's ticket for a grant: an auto-approved change applies with its request step's grant", () => {
    const held = new HeldGrants();
    const secrets = {
      selfServiceRequestId: 'resource-1',
      selfServiceGrantToken: 'ticket-of-the-change-run',
      selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
    };
    const ctx = { task: { id: 'task-9' }, input: {}, secrets };
    expect(() => resolveGrant(ctx, held)).toThrow('No grant to redeem');
    held.hold('task-9', { requestId: 'change-1', token: 'grant-of-the-change' }, inAMinute());
    expect(resolveGrant(ctx, held)).toEqual({
      requestId: 'change-1',
      token: 'grant-of-the-change',
      source: 'request step',
    });
  });
});
