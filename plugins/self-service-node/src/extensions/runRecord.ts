import { promises as fs } from 'node:fs';

/**
 * The contract between the Terraform runner, which writes these files, and
 * the backend's status sync, which reads what an interrupted run left.
 */

/**
 * In a working directory while a Terraform command runs: its pid, its
 * backend's pid and the state lock file it may leave. Left behind, the run
 * was interrupted.
 * @public
 */
export const RUN_RECORD_FILE = '.self-service-run.json';

/** What a run record file holds. @public */
export interface RunRecord {
  /** e.g. "terraform apply" */
  label: string;
  /** The command's process (and process group) id. */
  pid: number;
  /** The backend process that started it. */
  backendPid: number;
  startedAt: string;
  /** The local backend's lock info file, when the state is local. */
  stateLockFile?: string;
  [key: string]: unknown;
}

/** A state lock Terraform left behind. @public */
export interface StateLock {
  /** The lock ID `terraform force-unlock` takes. */
  id?: string;
  /** "ID …", the operation, "by …", "since …": what the lock info says. */
  details: string[];
}

/**
 * Reads Terraform's lock info file (JSON: ID, Operation, Who, Created), or
 * undefined when there is none. An unreadable file still counts: that it is
 * there is what matters.
 * @public
 */
export async function readStateLock(
  lockFile: string,
): Promise<StateLock | undefined> {
  let text: string;
  try {
    text = await fs.readFile(lockFile, 'utf8');
  } catch {
    return undefined;
  }
  let info: Record<string, unknown> = {};
  try {
    info = JSON.parse(text);
  } catch {
    // unreadable: present all the same
  }
  const id = typeof info.ID === 'string' ? info.ID : undefined;
  const details = [
    id && `ID ${id}`,
    typeof info.Operation === 'string' && info.Operation,
    typeof info.Who === 'string' && `by ${info.Who}`,
    typeof info.Created === 'string' && `since ${info.Created}`,
  ].filter((d): d is string => Boolean(d));
  return { id, details };
}
