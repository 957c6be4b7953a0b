import type { TeamLimits, TeamLimitsSource } from './limits';

/** Above this many remembered teams, expired entries are dropped on the next read. */
const PRUNE_ABOVE = 500;

/**
 * Remembers each team's limits for a short while. A group's annotations
 * change through the catalog, whose own refresh of a changed file takes
 * minutes, so a few seconds of memory lose nothing; they spare a catalog
 * round trip when a run reads the team's usage (guardrails) and records its
 * request moments later, and when the request form polls usage. Reads of
 * one team at the same time share a call; a failed read is not remembered.
 * The reservation itself is unaffected: it locks the team and sums its
 * requests in one transaction, whatever the limits' age.
 * @internal
 */
export class CachedTeamLimits implements TeamLimitsSource {
  readonly #source: TeamLimitsSource;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    { readAt: number; limits: Promise<TeamLimits> }
  >();

  constructor(options: {
    source: TeamLimitsSource;
    ttlMs: number;
    now?: () => number;
  }) {
    this.#source = options.source;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  getLimits(team: string): Promise<TeamLimits> {
    if (this.#ttlMs <= 0) return this.#source.getLimits(team);
    const now = this.#now();
    const entry = this.#entries.get(team);
    if (entry && now - entry.readAt < this.#ttlMs) return entry.limits;
    if (this.#entries.size > PRUNE_ABOVE) this.#prune(now);
    const limits = this.#source.getLimits(team);
    this.#entries.set(team, { readAt: now, limits });
    limits.catch(() => {
      if (this.#entries.get(team)?.limits === limits)
        this.#entries.delete(team);
    });
    return limits;
  }

  #prune(now: number) {
    for (const [team, entry] of this.#entries) {
      if (now - entry.readAt >= this.#ttlMs) this.#entries.delete(team);
    }
  }
}
