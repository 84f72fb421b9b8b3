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

/**
 * Streams per statement of readLastDataFields, its IN list padded with NULLs (which match no
 * stream) to a power of two, so a few statement texts serve every page size and stay prepared.
 */
export const LAST_FIELDS_PER_STATEMENT = 512;

/**
 * readLastDataField for many streams in one statement per LAST_FIELDS_PER_STATEMENT of them (a
 * feed page): each stream written before maps to its newest version and the field's value.
 */
export async function readLastDataFields(
  db: Queryable,
  streams: readonly string[],
  path: string,
): Promise<Map<string, { version: number; value: unknown }>> {
  const out = new Map<string, { version: number; value: unknown }>();
  for (let i = 0; i < streams.length; i += LAST_FIELDS_PER_STATEMENT) {
    const chunk = streams.slice(i, i + LAST_FIELDS_PER_STATEMENT);
    const size = 2 ** Math.ceil(Math.log2(chunk.length));
    const rows = await db.all<{ stream: string; version: number; value: unknown }>(
      `SELECT e.stream, e.version, json_extract(e.data, ?) AS value FROM events e
       JOIN (SELECT stream, MAX(version) AS version FROM events WHERE stream IN (${Array(size).fill('?').join(', ')}) GROUP BY stream) m
         ON e.stream = m.stream AND e.version = m.version`,
      [path, ...chunk, ...Array<null>(size - chunk.length).fill(null)],
    );
    for (const r of rows) out.set(r.stream, { version: r.version, value: r.value });
  }
  return out;
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
