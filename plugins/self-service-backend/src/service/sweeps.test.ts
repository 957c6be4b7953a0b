import { mockServices } from '@backstage/backend-test-utils';
import type { RequestService } from './RequestService';
import { EXPIRY_SWEEP_ID, STATUS_SYNC_ID, scheduleSweeps } from './sweeps';

describe('scheduleSweeps', () => {
  it('schedules global, time-limited expiry and status sync tasks', async () => {
    const scheduler = mockServices.scheduler.mock();
    const expireDue = jest.fn(async () => 2);
    const syncStatus = jest.fn(async () => 1);
    const logger = mockServices.logger.mock();
    await scheduleSweeps({
      scheduler,
      service: { expireDue } as unknown as RequestService,
      logger,
      frequency: { minutes: 5 },
      syncStatus,
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(2);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: EXPIRY_SWEEP_ID,
      scope: 'global',
      frequency: { minutes: 5 },
      timeout: { minutes: 5 },
    });
    await task.fn(new AbortController().signal);
    expect(expireDue).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Expired 2 self-service request(s)',
    );

    const sync = scheduler.scheduleTask.mock.calls[1][0];
    expect(sync).toMatchObject({ id: STATUS_SYNC_ID, scope: 'global' });
    await sync.fn(new AbortController().signal);
    expect(syncStatus).toHaveBeenCalledTimes(1);
  });
});
