import type { RootConfigService } from '@backstage/backend-plugin-api';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { loadPriceBook, PriceBook } from './priceBook';

/**
 * Loads the price book named by `selfService.priceBook.path` (relative paths
 * resolve against the backend's working directory) and reloads it when the
 * file changes, so a `git pull` of the price book needs no restart.
 * @public
 */
export class PriceBookLoader {
  readonly path: string;
  #cached?: { mtimeMs: number; book: PriceBook };

  /** Returns undefined when no price book is configured. */
  static fromConfig(config: RootConfigService): PriceBookLoader | undefined {
    const path = config.getOptionalString('selfService.priceBook.path');
    return path ? new PriceBookLoader(resolve(path)) : undefined;
  }

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<PriceBook> {
    const { mtimeMs } = await fs.stat(this.path);
    if (this.#cached?.mtimeMs === mtimeMs) {
      return this.#cached.book;
    }
    const book = await loadPriceBook(this.path);
    this.#cached = { mtimeMs, book };
    return book;
  }
}
