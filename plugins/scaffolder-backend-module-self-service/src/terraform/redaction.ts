import type { LoggerService } from '@backstage/backend-plugin-api';

/** What a redacted value is replaced with, everywhere. */
export const REDACTED = '(sensitive)';

// Shorter values would turn ordinary words and numbers in the log into
// "(sensitive)"; Terraform itself never prints sensitive values, so this is
// a second line of defence for values that reach other output.
const MIN_SECRET_LENGTH = 4;

const MEMO_MAX_LENGTH = 64;
const MEMO_MAX_ENTRIES = 50_000;

/**
 * Finds every occurrence of any of a set of strings in one pass over a text
 * (Aho-Corasick over UTF-16 code units): the cost of a scan grows with the
 * text's length, not with the number of secrets, and building it with their
 * total length. The trie is built breadth first, so each node's failure link
 * is computed when the node is made; transitions live in typed arrays (one
 * child per node, which most nodes have) with a map for the rest.
 */
class SecretMatcher {
  /** Length of the shortest secret: shorter texts hold none. */
  readonly minLength: number;
  readonly #root = new Int32Array(65536); // root's children (0: none)
  readonly #code: Int32Array; // the code unit of a node's first child (-1: none)
  readonly #child: Int32Array; // that child
  readonly #more = new Map<number, number>(); // other children: node * 65536 + code
  readonly #hasMore: Uint8Array;
  readonly #fail: Int32Array;
  readonly #out: Int32Array; // longest secret ending at this node (0: none)

  constructor(secrets: string[]) {
    let total = 1;
    let min = Infinity;
    for (const secret of secrets) {
      total += secret.length;
      min = Math.min(min, secret.length);
    }
    this.minLength = min;
    this.#code = new Int32Array(total).fill(-1);
    this.#child = new Int32Array(total);
    this.#hasMore = new Uint8Array(total);
    this.#fail = new Int32Array(total);
    this.#out = new Int32Array(total);
    const own = new Int32Array(total);
    let nodes = 1;
    let active = secrets.map((_, i) => i);
    const at = new Int32Array(secrets.length); // each secret's node so far
    for (let depth = 0; active.length > 0; depth++) {
      const firstNew = nodes;
      const still: number[] = [];
      for (const k of active) {
        const secret = secrets[k];
        const parent = at[k];
        const code = secret.charCodeAt(depth);
        let node = this.#next(parent, code);
        if (node < 0) {
          node = nodes++;
          this.#link(parent, code, node);
          if (parent !== 0) {
            let f = this.#fail[parent];
            let target = this.#next(f, code);
            while (target < 0 && f !== 0) {
              f = this.#fail[f];
              target = this.#next(f, code);
            }
            this.#fail[node] = target < 0 ? 0 : target;
          }
        }
        at[k] = node;
        if (depth + 1 === secret.length) own[node] = secret.length;
        else still.push(k);
      }
      // Failure links point to shallower nodes, whose outputs are final.
      for (let node = firstNew; node < nodes; node++) {
        this.#out[node] = own[node] || this.#out[this.#fail[node]];
      }
      active = still;
    }
  }

  #next(node: number, code: number): number {
    if (node === 0) return this.#root[code] || -1;
    if (this.#code[node] === code) return this.#child[node];
    if (this.#hasMore[node]) {
      const child = this.#more.get(node * 65536 + code);
      if (child !== undefined) return child;
    }
    return -1;
  }

  #link(node: number, code: number, child: number): void {
    if (node === 0) this.#root[code] = child;
    else if (this.#code[node] === -1) {
      this.#code[node] = code;
      this.#child[node] = child;
    } else {
      this.#hasMore[node] = 1;
      this.#more.set(node * 65536 + code, child);
    }
  }

  /** The text ranges [start, end) covered by secrets, overlapping ones merged. */
  cover(text: string): number[] {
    const runs: number[] = [];
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let target = this.#next(state, code);
      while (target < 0 && state !== 0) {
        state = this.#fail[state];
        target = this.#next(state, code);
      }
      state = target < 0 ? 0 : target;
      const length = this.#out[state];
      if (length) {
        let start = i + 1 - length;
        while (runs.length && runs[runs.length - 1] > start) {
          start = Math.min(start, runs[runs.length - 2]);
          runs.length -= 2;
        }
        runs.push(start, i + 1);
      }
    }
    return runs;
  }
}

/**
 * Collects the sensitive values of one action run (sensitive variables, plan
 * values marked sensitive, sensitive outputs) and scrubs them from any text
 * or value before it reaches the task log or the action outputs. Redacting
 * is one pass over the text whatever the number of secrets; every part of
 * the text that any secret covers is replaced (overlapping secrets as one).
 */
export class Redactor {
  #secrets = new Set<string>();
  // Every sensitive value as text, short ones and numbers included: a value
  // (string or number) in a redacted object that equals one is replaced
  // whole, as Terraform does not mark every copy of a sensitive value (e.g.
  // an attribute computed from a sensitive one).
  #exact = new Set<string>();
  #matcher: SecretMatcher | undefined;
  // Results for short strings, which repeat (types, paths, common values).
  #memo = new Map<string, string>();

  add(value: unknown): void {
    // A sensitive boolean cannot be hidden in text without hiding every "true".
    if (value === null || value === undefined || typeof value === 'boolean')
      return;
    if (typeof value === 'object') {
      for (const v of Object.values(value as object)) this.add(v);
      return;
    }
    const text = String(value);
    if (text.trim() !== '' && !this.#exact.has(text)) {
      this.#exact.add(text);
      this.#memo.clear();
    }
    // Logs are streamed line by line, so a multi-line secret is also
    // redacted line by line.
    const parts = text.includes('\n') ? [text, ...text.split(/\r?\n/)] : [text];
    for (const part of parts) {
      if (part.trim().length >= MIN_SECRET_LENGTH && !this.#secrets.has(part)) {
        this.#secrets.add(part);
        this.#matcher = undefined;
        this.#memo.clear();
      }
    }
  }

  /** The values to mask, to hand on to a later step of the same task. */
  values(): string[] {
    return [...new Set([...this.#secrets, ...this.#exact])];
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || !text) return text;
    this.#matcher ??= new SecretMatcher([...this.#secrets]);
    if (text.length < this.#matcher.minLength) return text;
    const short = text.length <= MEMO_MAX_LENGTH;
    if (short) {
      const known = this.#memo.get(text);
      if (known !== undefined) return known;
    }
    const result = this.#redactText(text);
    if (short) {
      if (this.#memo.size >= MEMO_MAX_ENTRIES) this.#memo.clear();
      this.#memo.set(text, result);
    }
    return result;
  }

  #redactText(text: string): string {
    if (this.#secrets.has(text)) return REDACTED;
    const runs = this.#matcher!.cover(text);
    if (runs.length === 0) return text;
    let result = '';
    let from = 0;
    for (let i = 0; i < runs.length; i += 2) {
      result += text.slice(from, runs[i]) + REDACTED;
      from = runs[i + 1];
    }
    return result + text.slice(from);
  }

  /**
   * A deep copy with every string redacted. With `wholeValues` (plan
   * summaries, where every value stands for an attribute), every string or
   * number that equals a sensitive value, however short, is replaced whole
   * too: Terraform does not mark every copy of a sensitive value (e.g. an
   * attribute a provider computed from a sensitive one).
   */
  redactValue<T>(value: T, options: { wholeValues?: boolean } = {}): T {
    if (this.#exact.size === 0) return value;
    return this.#redactDeep(value, options.wholeValues === true) as T;
  }

  #redactDeep(value: unknown, whole: boolean): unknown {
    if (typeof value === 'string')
      return whole && this.#exact.has(value) ? REDACTED : this.redact(value);
    if (whole && (typeof value === 'number' || typeof value === 'bigint'))
      return this.#exact.has(String(value)) ? REDACTED : value;
    if (Array.isArray(value)) return value.map(v => this.#redactDeep(v, whole));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value))
        out[k] = this.#redactDeep(v, whole);
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
