import { InputError, NotAllowedError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { launchedGrant } from '../shared';

/**
 * Where `self-service:request` keeps an auto-approval grant for the apply
 * step of the same task: in the task's own workspace, readable by the
 * backend user only, instead of a step output that the scaffolder stores
 * with the task.
 */
export const GRANT_FILE = join('.self-service', 'grant.json');

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

export async function writeGrantFile(
  workspacePath: string,
  grant: HeldGrant,
): Promise<void> {
  const file = join(workspacePath, GRANT_FILE);
  await fs.mkdir(join(workspacePath, '.self-service'), {
    recursive: true,
    mode: 0o700,
  });
  await fs.writeFile(file, JSON.stringify(grant), { mode: 0o600 });
}

async function readGrantFile(
  workspacePath: string,
): Promise<HeldGrant | undefined> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(
      await fs.readFile(join(workspacePath, GRANT_FILE), 'utf8'),
    );
  } catch {
    return undefined;
  }
  const text = (key: string) =>
    typeof parsed?.[key] === 'string' ? (parsed[key] as string) : undefined;
  const requestId = text('requestId');
  const token = text('token');
  if (!requestId || !token) return undefined;
  const planHash = text('planHash');
  const planFileDigest = text('planFileDigest');
  return {
    requestId,
    token,
    ...(planHash && planFileDigest ? { planHash, planFileDigest } : {}),
  };
}

export async function removeGrantFile(workspacePath: string): Promise<void> {
  await fs.rm(join(workspacePath, GRANT_FILE), { force: true });
}

/**
 * Finds the grant this task may redeem: the one the backend passed as task
 * secrets when it launched an approved request, else one given as input or
 * held by the request step of this task (auto-approval). Without one the
 * action refuses: starting a template never applies anything by itself.
 */
export async function resolveGrant(ctx: {
  secrets?: Record<string, string>;
  workspacePath: string;
  input: { requestId?: string; grantToken?: string };
}): Promise<Grant> {
  const launched = launchedGrant(ctx.secrets);
  const { requestId, grantToken } = ctx.input;
  if (launched) {
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
  const held = await readGrantFile(ctx.workspacePath);
  if (held && (!requestId || requestId === held.requestId)) {
    return { ...held, source: 'request step' };
  }
  throw new NotAllowedError(
    'No grant to redeem: Terraform applies only for an approved request (auto-approved by self-service:request in this task, or launched by the self-service backend after approval)',
  );
}
