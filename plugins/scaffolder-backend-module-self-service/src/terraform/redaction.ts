import type { LoggerService } from '@backstage/backend-plugin-api';

/** What a redacted value is replaced with, everywhere. */
export const REDACTED = '(sensitive)';

// Shorter values would turn ordinary words and numbers in the log into
// "(sensitive)"; Terraform itself never prints sensitive values, so this is
// a second line of defence for values that reach other output.
const MIN_SECRET_LENGTH = 4;

/**
 * Collects the sensitive values of one action run (sensitive variables, plan
 * values marked sensitive, sensitive outputs) and scrubs them from any text
 * or value before it reaches the task log or the action outputs.
 */
export class Redactor {
  #secrets = new Set<string>();
  #ordered: string[] | undefined;

  add(value: unknown): void {
    // A sensitive boolean cannot be hidden in text without hiding every "true".
    if (value === null || value === undefined || typeof value === 'boolean')
      return;
    if (typeof value === 'object') {
      for (const v of Object.values(value as object)) this.add(v);
      return;
    }
    const text = String(value);
    // Logs are streamed line by line, so a multi-line secret is also
    // redacted line by line.
    for (const part of [text, ...text.split(/\r?\n/)]) {
      if (part.trim().length >= MIN_SECRET_LENGTH && !this.#secrets.has(part)) {
        this.#secrets.add(part);
        this.#ordered = undefined;
      }
    }
  }

  /** The values to mask, to hand on to a later step of the same task. */
  values(): string[] {
    return [...this.#secrets];
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || !text) return text;
    // Longest first, so a secret containing another is replaced whole.
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let result = text;
    for (const secret of this.#ordered) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** A deep copy with every string redacted. */
  redactValue<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    return this.#redactDeep(value) as T;
  }

  #redactDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map(v => this.#redactDeep(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.#redactDeep(v);
      return out;
    }
    return value;
  }
}

/** A logger that scrubs the redactor's values from messages and metadata. */
export function redactingLogger(
  logger: LoggerService,
  redactor: Redactor,
): LoggerService {
  const meta = (m: unknown) => {
    if (m instanceof Error) {
      const copy = new Error(redactor.redact(m.message));
      copy.name = m.name;
      return copy;
    }
    return m === undefined ? undefined : redactor.redactValue(m);
  };
  return {
    error: (message, m) =>
      logger.error(redactor.redact(message), meta(m) as any),
    warn: (message, m) => logger.warn(redactor.redact(message), meta(m) as any),
    info: (message, m) => logger.info(redactor.redact(message), meta(m) as any),
    debug: (message, m) =>
      logger.debug(redactor.redact(message), meta(m) as any),
    child: m =>
      redactingLogger(logger.child(redactor.redactValue(m)), redactor),
  };
}
