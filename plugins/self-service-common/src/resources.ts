/**
 * A provisioned resource as the backend hands it to the catalog: one per
 * succeeded request, with only non-sensitive Terraform outputs.
 * @public
 */
export interface ProvisionedResource {
  requestId: string;
  templateRef: string;
  /** Resource type for the catalog, e.g. database, bucket, queue. */
  type: string;
  /** The resource's name as requested (e.g. the `name` parameter). */
  name: string;
  team: string;
  environment: string;
  expiresAt?: string;
  tags: string[];
  outputs: Record<string, string | number | boolean>;
  /** Replayed by the recorded runner: nothing exists (no Terraform on the host). */
  simulated?: boolean;
}

/** Events topic on which the backend announces changed resources. @public */
export const SELF_SERVICE_RESOURCES_TOPIC = 'self-service.resources';
