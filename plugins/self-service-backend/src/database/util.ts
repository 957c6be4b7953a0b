import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** @internal */
export function isPostgres(knex: Knex): boolean {
  const client = knex.client.config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/** A fresh grant token: 32 random bytes, url-safe. @internal */
export function newGrantToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest of a grant token is ever stored. @internal */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
