import type { Queryable, SqlValue } from '../db/db.ts';
import { CLEARED_CONDITION_STATUSES } from '../permits/condition-cleared.ts';
import type { StatusPhase } from '../permits/record.ts';
import type { PermitRow } from '../projections/permits.ts';

/**
 * Plotwise's portfolio reads (reference plotwise-developers.txt: /v1/permits, /v1/contacts,
 * /v1/conditions) over one key's watchlist joined with the permits read model. Every list is
 * keyset-paged: the cursor is the last item's position in a stable order, so pages neither skip
 * nor repeat while watches come and go.
 */

/** A watched permit with its current status, as GET /permits lists it: the watch, and the permits read model's status columns. */
export interface WatchedPermitRow
  extends Pick<
    PermitRow,
    | 'permit_number'
    | 'jurisdiction'
    | 'status'
    | 'portal_status'
    | 'status_phase'
    | 'permit_type'
    | 'category'
    | 'address_line'
    | 'last_changed_at'
    | 'last_checked_at'
  > {
  id: string;
  label: string | null;
  note: string | null;
  watched_since: string;
}

/** The key's watched permits in watch-id order after `afterId`, optionally of one phase or jurisdiction. */
export function listWatchedPermits(
  db: Queryable,
  keyId: string,
  filters: { status_phase?: StatusPhase; jurisdiction?: string },
  afterId: string,
  limit: number,
): Promise<WatchedPermitRow[]> {
  const where = ['w.key_id = ?', 'w.id > ?'];
  const params: SqlValue[] = [keyId, afterId];
  if (filters.status_phase) (where.push('p.status_phase = ?'), params.push(filters.status_phase));
  if (filters.jurisdiction) (where.push('w.jurisdiction = ?'), params.push(filters.jurisdiction));
  return db.all<WatchedPermitRow>(
    `SELECT w.id, w.permit_number, w.jurisdiction, w.label, w.note, w.created_at AS watched_since, p.status, p.portal_status,
       p.status_phase, p.permit_type, p.category, p.address_line, p.last_changed_at, f.last_checked_at
     FROM watchlist w JOIN permits p ON p.stream = w.stream LEFT JOIN permit_freshness f ON f.stream = w.stream
     WHERE ${where.join(' AND ')} ORDER BY w.id LIMIT ?`,
    [...params, limit],
  );
}

/** One item of a record's list (contacts, conditions) and where it sits: watch id, then index. */
interface ListItemRow {
  watch_id: string;
  idx: number;
  permit_number: string;
  jurisdiction: string;
  item: string;
}

/** Keyset position in a portfolio list: the watch id and the item's index in its permit's list. */
export interface ItemCursor {
  watchId: string;
  index: number;
}

/** `<watch_id>.<index>`, the cursor of a contacts or conditions page. */
export const encodeItemCursor = (c: ItemCursor) => `${c.watchId}.${c.index}`;

/** The cursor a client sent back, or undefined when it is not one of ours. */
export function decodeItemCursor(text: string): ItemCursor | undefined {
  const m = /^(wat_[0-9a-f]+)\.(\d{1,6})$/.exec(text);
  return m ? { watchId: m[1]!, index: Number(m[2]) } : undefined;
}

/**
 * Items of one JSON list of the watched permits' records, in (watch id, index) order after
 * `after`. `itemWhere` filters on `c.value` (the item) with its parameters.
 */
async function listItems(
  db: Queryable,
  list: '$.contacts' | '$.conditions',
  keyId: string,
  permitNumber: string | undefined,
  itemWhere: { sql: string; params: SqlValue[] } | undefined,
  after: ItemCursor | undefined,
  limit: number,
): Promise<ListItemRow[]> {
  const where = ['w.key_id = ?', '(w.id > ? OR (w.id = ? AND CAST(c.key AS INTEGER) > ?))'];
  const params: SqlValue[] = [keyId, after?.watchId ?? '', after?.watchId ?? '', after?.index ?? -1];
  if (permitNumber) (where.push('w.permit_number = ?'), params.push(permitNumber));
  if (itemWhere) (where.push(itemWhere.sql), params.push(...itemWhere.params));
  return db.all<ListItemRow>(
    `SELECT w.id AS watch_id, CAST(c.key AS INTEGER) AS idx, w.permit_number, w.jurisdiction, c.value AS item
     FROM watchlist w JOIN permits p ON p.stream = w.stream, json_each(p.record, '${list}') c
     WHERE ${where.join(' AND ')} ORDER BY w.id, idx LIMIT ?`,
    [...params, limit],
  );
}

export interface PortfolioItem<T> {
  cursor: ItemCursor;
  watch_id: string;
  permit_number: string;
  jurisdiction: string;
  item: T;
}

const toItem = <T>(r: ListItemRow): PortfolioItem<T> => ({
  cursor: { watchId: r.watch_id, index: r.idx },
  watch_id: r.watch_id,
  permit_number: r.permit_number,
  jurisdiction: r.jurisdiction,
  item: JSON.parse(r.item) as T,
});

/** Contacts of the key's watched permits; `role` compares case-insensitively ("Contractor" = "CONTRACTOR"). */
export async function listContacts<T>(
  db: Queryable,
  keyId: string,
  filters: { role?: string; permit_number?: string },
  after: ItemCursor | undefined,
  limit: number,
): Promise<PortfolioItem<T>[]> {
  const role = filters.role ? { sql: "lower(json_extract(c.value, '$.role')) = lower(?)", params: [filters.role] } : undefined;
  return (await listItems(db, '$.contacts', keyId, filters.permit_number, role, after, limit)).map(toItem<T>);
}

/** The SQL form of isConditionCleared (permits/condition-cleared.ts), over `c.value`'s status. */
const CLEARED_SQL = `lower(trim(json_extract(c.value, '$.status'))) IN (${CLEARED_CONDITION_STATUSES.map(() => '?').join(', ')})`;

/** Conditions of the key's watched permits; `status` is `cleared` or `not_cleared` (a missing status is not cleared). */
export async function listConditions<T>(
  db: Queryable,
  keyId: string,
  filters: { status?: 'cleared' | 'not_cleared'; permit_number?: string },
  after: ItemCursor | undefined,
  limit: number,
): Promise<PortfolioItem<T>[]> {
  const statuses = [...CLEARED_CONDITION_STATUSES];
  const status =
    filters.status === 'cleared'
      ? { sql: CLEARED_SQL, params: statuses }
      : filters.status === 'not_cleared'
        ? { sql: `NOT coalesce(${CLEARED_SQL}, 0)`, params: statuses }
        : undefined;
  return (await listItems(db, '$.conditions', keyId, filters.permit_number, status, after, limit)).map(toItem<T>);
}
