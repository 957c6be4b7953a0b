import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import { toDate } from './rows';
import type { DbDate } from './tables';

/** A position in a newest-first list: the last row's (created_at, id). @internal */
export interface Cursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of JSON `[createdAtIso, id]`. @internal */
export function encodeCursor(row: { created_at: DbDate; id: string }): string {
  const payload = JSON.stringify([toDate(row.created_at).toISOString(), row.id]);
  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** @internal */
export function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime())) {
        return { createdAt, id: parsed[1] };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor: not a cursor returned by this API');
}

/**
 * Newest first, strictly after the cursor. `alias` qualifies the columns when
 * the query joins other tables.
 * @internal
 */
export function applyCursor(
  query: Knex.QueryBuilder,
  cursor: Cursor | undefined,
  alias = 'requests',
): Knex.QueryBuilder {
  const created = `${alias}.created_at`;
  const id = `${alias}.id`;
  if (cursor) {
    query.where(q =>
      q
        .where(created, '<', cursor.createdAt)
        .orWhere(inner =>
          inner.where(created, '=', cursor.createdAt).andWhere(id, '<', cursor.id),
        ),
    );
  }
  return query.orderBy([
    { column: created, order: 'desc' },
    { column: id, order: 'desc' },
  ]);
}

/** Fetches `limit + 1` rows and turns the extra one into a next cursor. @internal */
export async function pageOf<TRow extends { created_at: DbDate; id: string }>(
  query: Knex.QueryBuilder,
  limit: number,
): Promise<{ rows: TRow[]; nextCursor?: string }> {
  const rows = (await query.limit(limit + 1)) as TRow[];
  if (rows.length <= limit) {
    return { rows };
  }
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]) };
}
