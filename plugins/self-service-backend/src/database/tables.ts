/**
 * Row shapes of the plugin's tables, as the database returns them. Dates may
 * come back as `Date` (PostgreSQL), epoch milliseconds or strings (SQLite);
 * decimals as strings (PostgreSQL) or numbers (SQLite). `rows.ts` normalises.
 */

import type { RequestKind } from '@internal/plugin-self-service-common';

/** @internal */
export type DbDate = Date | number | string;

/** @internal */
export interface RequestRow {
  id: string;
  template_ref: string;
  template_uid: string | null;
  template_steps_hash: string;
  parameters: string;
  parameters_hash: string;
  requester: string;
  team: string;
  environment: string;
  category: string | null;
  justification: string | null;
  findings: string;
  cost: string;
  monthly_cost: number | string;
  plan_summary: string | null;
  plan_hash: string | null;
  approval_policy: string;
  self_approval_allowed: boolean | number;
  current_stage: number | null;
  state: string;
  state_reason: string | null;
  decision_deadline: DbDate | null;
  expires_at: DbDate | null;
  task_id: string;
  step_id: string;
  task_ids: string;
  resource_refs: string;
  /** Null only for rows written before the column existed and not backfilled. */
  resource_name: string | null;
  /** JSON object, set when the apply succeeded. */
  outputs: string | null;
  /** `|ref|ref|` of every stage group, lower case; see `approverGroupsOf`. */
  approver_groups: string | null;
  created_at: DbDate;
  updated_at: DbDate;
  /** 'provision', 'change' or 'extension' (see the request_kinds migration). */
  kind: RequestKind;
  target_request_id: string | null;
  state_key: string | null;
  previous_monthly_cost: number | string | null;
  extension_days: number | null;
  extension_from: DbDate | null;
  extension_to: DbDate | null;
}

/** @internal */
export interface RequestApproverRow {
  request_id: string;
  stage: number;
  group_ref: string;
  /** The request is pending_approval at this stage (see syncOpenApprovers). */
  open: boolean;
}

/** @internal */
export interface DecisionRow {
  id: string;
  request_id: string;
  approver: string;
  stage: number;
  decision: 'approve' | 'reject';
  comment: string | null;
  created_at: DbDate;
}

/** @internal */
export type GrantPurpose = 'apply' | 'destroy' | 'change';

/** @internal */
export interface GrantRow {
  id: string;
  request_id: string;
  token_hash: string;
  template_ref: string;
  parameters_hash: string;
  plan_hash: string | null;
  /**
   * What the grant permits; a destroy grant is not bound to a plan. A
   * 'change' grant is the ticket of a day-2 change run, held on the request
   * it changes and bound to the new parameters.
   */
  purpose: GrantPurpose;
  /** sha256 of the one plan file an auto-approval grant may apply, if bound. */
  plan_file_digest?: string | null;
  task_id: string | null;
  expires_at: DbDate;
  consumed_at: DbDate | null;
  consumed_by_task: string | null;
  created_at: DbDate;
}

/** @internal */
export interface TeamLedgerRow {
  team: string;
  created_at: DbDate;
}

/** @internal */
export interface EventRow {
  seq?: number;
  id: string;
  request_id: string;
  actor: string;
  from_state: string | null;
  to_state: string | null;
  action: string;
  reason: string | null;
  created_at: DbDate;
}
