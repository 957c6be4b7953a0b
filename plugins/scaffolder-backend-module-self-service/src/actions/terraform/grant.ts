import { InputError, NotAllowedError } from '@backstage/errors';
import { launchedGrant } from '../shared';

/** What the request step of this task leaves for its apply step. */
export interface HeldGrant {
  requestId: string;
  token: string;
  /** The recorded plan's hash and the digest of the plan file it came from. */
  planHash?: string;
  planFileDigest?: string;
}

export interface Grant extends HeldGrant {
  source: 'task secrets' | 'step input' | 'request step';
}

/**
 * Where `self-service:request` keeps an auto-approval grant for the apply
 * step of the same task: in this process's memory, keyed by task. A task's
 * steps run in one process, one after the other, so nothing else is needed;
 * a step output would be stored with the task, and a file would put the
 * token on disk. An entry goes when the apply step redeems it, or once the
 * grant has expired (a run that failed in between).
 */
export class HeldGrants {
  readonly #byTask = new Map<string, { grant: HeldGrant; until: number }>();

  hold(taskId: string, grant: HeldGrant, expiresAt: string | Date): void {
    this.#prune();
    this.#byTask.set(taskId, {
      grant: { ...grant },
      until: new Date(expiresAt).getTime(),
    });
  }

  /** The grant held for the task, if any and not expired. */
  get(taskId: string): HeldGrant | undefined {
    this.#prune();
    const held = this.#byTask.get(taskId);
    return held ? { ...held.grant } : undefined;
  }

  release(taskId: string): void {
    this.#byTask.delete(taskId);
  }

  #prune() {
    const now = Date.now();
    for (const [taskId, held] of this.#byTask) {
      if (held.until <= now) this.#byTask.delete(taskId);
    }
  }
}

/**
 * The process's holder, shared by the request, apply and destroy actions
 * however they were created.
 */
export const heldGrants = new HeldGrants();

/**
 * Finds the grant this task may redeem: the one the backend passed as task
 * secrets when it launched an approved request, else one given as input or
 * held by the request step of this task (auto-approval). Without one the
 * action refuses: starting a template never applies anything by itself.
 */
export function resolveGrant(
  ctx: {
    secrets?: Record<string, string>;
    task: { id: string };
    input: { requestId?: string; grantToken?: string };
  },
  held: HeldGrants = heldGrants,
): Grant {
  // A change run's secrets carry the ticket that let it record the change,
  // not a grant: an auto-approved change is applied with the grant its
  // request step holds, like any first run.
  const launched = launchedGrant(ctx.secrets);
  const { requestId, grantToken } = ctx.input;
  if (launched && launched.operation !== 'change') {
    if (requestId && requestId !== launched.requestId) {
      throw new InputError(
        `requestId ${requestId} is not the request this task was launched for (${launched.requestId})`,
      );
    }
    if (!launched.token) {
      throw new NotAllowedError(
        'the task was launched for a request but carries no grant token',
      );
    }
    return {
      requestId: launched.requestId,
      token: launched.token,
      source: 'task secrets',
    };
  }
  if (requestId && grantToken) {
    return { requestId, token: grantToken, source: 'step input' };
  }
  const own = held.get(ctx.task.id);
  if (own && (!requestId || requestId === own.requestId)) {
    return { ...own, source: 'request step' };
  }
  throw new NotAllowedError(
    'No grant to redeem: Terraform applies only for an approved request (auto-approved by self-service:request in this task, or launched by the self-service backend after approval)',
  );
}
