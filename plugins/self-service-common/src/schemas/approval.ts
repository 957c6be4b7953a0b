import { z } from 'zod';

const entityRefPattern = /^[a-z]+:([\w.-]+\/)?[\w.@-]+$/i;

/** A group or user entity ref such as `group:default/dba`. @public */
export const entityRefSchema = z
  .string()
  .min(3)
  .max(255)
  .regex(entityRefPattern, 'must be an entity ref like group:default/team-a');

/** One stage of an approval policy: any `quorum` members of `groups` approve. @public */
export const approvalStageSchema = z.object({
  name: z.string().min(1).max(100).describe('Stage name shown to approvers, e.g. team-lead'),
  groups: z.array(entityRefSchema).min(1).max(20).describe('Approver group entity refs'),
  quorum: z.number().int().min(1).max(20).default(1).describe('Approvals needed to pass the stage'),
});

/** @public */
export type ApprovalStage = z.infer<typeof approvalStageSchema>;

/** Ordered approval stages; an empty list means no approval is needed. @public */
export const approvalPolicySchema = z.object({
  stages: z.array(approvalStageSchema).max(10).default([]),
  allowSelfApprovalOutsideProduction: z
    .boolean()
    .default(false)
    .describe('Lets the requester approve their own non-production request'),
});

/** @public */
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** @public */
export const decisionBodySchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(2000).optional(),
}).strict().refine(
  body => body.decision !== 'reject' || (body.comment ?? '').trim().length > 0,
  { message: 'a rejection needs a comment giving the reason', path: ['comment'] },
);

/** @public */
export type DecisionBody = z.infer<typeof decisionBodySchema>;
