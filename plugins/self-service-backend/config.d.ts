import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the self-service infrastructure plugins. */
  selfService?: {
    /**
     * How long approvers have to decide a request before the expiry sweep
     * marks it expired and releases its reservation. A HumanDuration object
     * (`{ days: 3 }`) or an ISO 8601 / ms-style string. Default: 7 days.
     */
    approvalTimeout?: HumanDuration | string;
    /**
     * How long a minted apply grant stays redeemable. An approved request
     * whose grant lapses unredeemed is expired by the sweep. Default: 24 hours.
     */
    grantTtl?: HumanDuration | string;
    /**
     * How often the expiry sweep runs (one replica at a time).
     * Default: every 5 minutes.
     */
    sweepFrequency?: HumanDuration | string;
    /**
     * How long a team's limits (the budget, quota and cost-center
     * annotations of its Group) are remembered after a catalog read.
     * Default: 10 seconds; 0 reads the catalog every time.
     */
    limitsCacheTtl?: HumanDuration | string;
    /**
     * Checks of Templates that use the self-service actions (see
     * `self-service-lint`).
     */
    templateChecks?: {
      /**
       * Refuse unsafe templates at catalog ingestion with a processing error.
       * When false they are ingested with their problems in the
       * `self-service.io/template-problems` annotation; the backend refuses
       * requests from them either way. Default: true.
       */
      enforce?: boolean;
    };
    /** The sync that settles applies and tear-downs whose task ended without reporting. */
    statusSync?: {
      /**
       * How long a processing scaffolder task may go without a worker's
       * heartbeat before its backend is taken for gone and the request
       * fails with the interrupted command named. At least the scaffolder's
       * task recovery timeout plus 30 seconds when that recovery is on.
       * Default: 1 minute.
       */
      staleAfter?: HumanDuration | string;
    };
    /**
     * The lifecycle sweep (one replica at a time, every `sweepFrequency`):
     * TTL tear-downs, expiry warnings, approver reminders and escalation,
     * usage alerts.
     */
    lifecycle?: {
      /**
       * How long before a resource's TTL tear-down its requester and team are
       * warned; each point once (a request already closer than several gets
       * the nearest). Durations as HumanDuration objects or ISO 8601 /
       * ms-style strings. Default: 3 days and 1 day.
       */
      expiryWarnings?: Array<HumanDuration | string>;
      /**
       * How long an approval stage waits before its approvers are reminded,
       * once per stage. Default: 24 hours.
       */
      reminderAfter?: HumanDuration | string;
      /**
       * The group added as approvers of a stage nobody decided within
       * `escalateAfter`, e.g. group:default/platform. Self-approval rules
       * still apply. Default: none (no escalation).
       */
      escalateTo?: string;
      /** How long a stage waits before it is escalated. Default: 48 hours. */
      escalateAfter?: HumanDuration | string;
      /**
       * Shares of a team's monthly budget (live plus reserved cost) at which
       * the team is told, once per month each; the quota alert comes when
       * live plus pending resources reach the quota. Default: [0.8, 1].
       */
      budgetAlerts?: number[];
      /**
       * The approval stage (a name under `selfService.guardrails.stages`)
       * that decides extensions longer than the environment's
       * `autoApproveDays`. Default: team-lead.
       */
      extensionStage?: string;
      /**
       * Per environment, how many days one extension of a resource's expiry
       * may add without approval (`autoApproveDays`) and at most
       * (`maxDays`). Default: dev 7 / 30, staging 14 / 60.
       */
      extensions?: {
        [environment: string]: { autoApproveDays?: number; maxDays?: number };
      };
    };
    /** The apply phase launcher. */
    launch?: {
      /**
       * Launch the apply phase through the scaffolder API as soon as the last
       * approval stage passes. When false, approved requests wait until
       * their grant expires. Default: true.
       */
      enabled?: boolean;
    };
    /**
     * Team limits used when a Group entity has no
     * `self-service.io/monthly-budget` / `self-service.io/resource-quota`
     * annotation.
     */
    defaults?: {
      /** Monthly budget per team, in `currency`. Default: 1000. */
      monthlyBudget?: number;
      /** Number of live plus pending resources per team. Default: 10. */
      resourceQuota?: number;
      /** ISO 4217 currency of budgets and costs. Default: USD. */
      currency?: string;
    };
  };
}
