import { mockServices } from '@backstage/backend-test-utils';
import type { RequestService } from './RequestService';
import {
  EXPIRY_SWEEP_ID,
  LIFECYCLE_SWEEP_ID,
  STATUS_SYNC_ID,
  scheduleSweeps,
} from './sweeps';

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
    // Soon after start-up, then at least once a minute, with a short lock.
    expect(sync).toMatchObject({
      id: STATUS_SYNC_ID,
      scope: 'global',
      frequency: { minutes: 1 },
      initialDelay: { seconds: 10 },
      timeout: { minutes: 1 },
    });
    await sync.fn(new AbortController().signal);
    expect(syncStatus).toHaveBeenCalledTimes(1);
  });

  it('runs the status sync as often as the sweeps when they run more often than once a minute', async () => {
    const scheduler = mockServices.scheduler.mock();
    await scheduleSweeps({
      scheduler,
      service: { expireDue: jest.fn() } as unknown as RequestService,
      logger: mockServices.logger.mock(),
      frequency: { seconds: 2 },
      syncStatus: jest.fn(async () => 0),
    });
    expect(scheduler.scheduleTask.mock.calls[1][0]).toMatchObject({
      id: STATUS_SYNC_ID,
      frequency: { seconds: 2 },
      initialDelay: { seconds: 2 },
    });
  });
});

describe('the lifecycle sweep', () => {
  it('is scheduled globally with the sweeps, and logs what it did', async () => {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const lifecycle = jest.fn(async () => ({
      destroyed: 1,
      warned: 2,
      reminded: 0,
      escalated: 0,
      alerted: 0,
    }));
    await scheduleSweeps({
      scheduler,
      service: { expireDue: jest.fn() } as unknown as RequestService,
      logger,
      frequency: { minutes: 5 },
      lifecycle,
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(2);
    const task = scheduler.scheduleTask.mock.calls[1][0];
    expect(task).toMatchObject({
      id: LIFECYCLE_SWEEP_ID,
      scope: 'global',
      frequency: { minutes: 5 },
      timeout: { minutes: 5 },
    });
    await task.fn(new AbortController().signal);
    expect(lifecycle).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Self-service lifecycle sweep: destroyed 1, warned 2',
    );
  });
});
