import type { Queryable } from '../db/db.ts';

/** An event as the log returns it, payloads still JSON text (parsing is the reader's choice). */
export interface StoredEvent {
  position: number;
  stream: string;
  version: number;
  type: string;
  schema_version: number;
  data: string;
  meta: string;
  recorded_at: string;
}

/** The columns of a stored event, in table order. */
export const STORED_EVENT_COLUMNS: readonly string[] = ['position', 'stream', 'version', 'type', 'schema_version', 'data', 'meta', 'recorded_at'];
const COLUMNS = STORED_EVENT_COLUMNS.join(', ');

/** Every event of one stream, oldest first. */
export function readStream(db: Queryable, stream: string): Promise<StoredEvent[]> {
  return db.all<StoredEvent>(`SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY version`, [stream]);
}

/** One event of a stream by version, or undefined. */
export function readStreamVersion(db: Queryable, stream: string, version: number): Promise<StoredEvent | undefined> {
  return db.get<StoredEvent>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND version = ?`, [stream, version]);
}

/**
 * The newest event's version and one field of its payload (a JSON path such as
 * `$.content_hash`), without reading the payload itself; undefined for a stream never written.
 */
export function readLastDataField(db: Queryable, stream: string, path: string): Promise<{ version: number; value: unknown } | undefined> {
  return db.get<{ version: number; value: unknown }>(
    'SELECT version, json_extract(data, ?) AS value FROM events WHERE stream = ? ORDER BY version DESC LIMIT 1',
    [path, stream],
  );
}

/** Events after `fromPosition` (exclusive) in global order, at most `limit` of them. */
export function readAll(db: Queryable, fromPosition: number, limit: number): Promise<StoredEvent[]> {
  return db.all<StoredEvent>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`, [fromPosition, limit]);
}

/** The highest position written, 0 for an empty log. */
export async function headPosition(db: Queryable): Promise<number> {
  const row = await db.get<{ p: number | null }>('SELECT MAX(position) AS p FROM events');
  return row?.p ?? 0;
}
