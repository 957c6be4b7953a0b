import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SelfServiceStore } from '../../database/SelfServiceStore';
import type { SelfServiceSettings } from '../config';
import type { Launcher } from '../launcher';
import type { TeamLimitsSource } from '../limits';
import type { RequestNotifier } from '../notifier';
import type { LifecycleSettings } from './config';

/** What the lifecycle sweeps need. @internal */
export interface LifecycleDeps {
  store: SelfServiceStore;
  notifier: RequestNotifier;
  /** Sends warnings, reminders and alerts; none: they are not sent (or recorded). */
  notifications?: NotificationService;
  auditor?: AuditorService;
  launcher?: Launcher;
  /** The teams' budgets and quotas, for usage alerts. */
  limits?: TeamLimitsSource;
  logger: LoggerService;
  settings: SelfServiceSettings;
  lifecycle: LifecycleSettings;
  now: () => Date;
}

const UNITS: Array<[number, string]> = [
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
];

/** "3 days", "1 hour", "90 minutes" is "1 hour" rounded; for messages. @internal */
export function humanDuration(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size) {
      const n = Math.round(ms / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

/** How people name a request: its resource name, else its template. @internal */
export function requestLabel(request: {
  resourceName?: string;
  templateRef: string;
}): string {
  return request.resourceName
    ? `${request.resourceName} (${request.templateRef})`
    : request.templateRef;
}
