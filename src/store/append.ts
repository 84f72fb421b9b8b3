import type { Queryable } from '../db/db.ts';
import { insertRows } from '../db/batch-statement.ts';

/** An event as the caller hands it to the log. */
export interface NewEvent {
  type: string;
  schema_version: number;
  data: unknown;
  meta: unknown;
}

export type AppendResult =
  { ok: true; positions: number[]; version: number } | { ok: false; reason: 'version_conflict'; expected: number; actual: number };

/**
 * Appends events to a stream if its current version is `expectedVersion` (0 for a new stream).
 * Run it inside a transaction: the version check and the inserts must be atomic, and the
 * UNIQUE(stream, version) constraint is the last line against a concurrent writer in another process.
 */
export async function append(
  tx: Queryable,
  stream: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  recordedAt: string,
): Promise<AppendResult> {
  const row = await tx.get<{ version: number | null }>('SELECT MAX(version) AS version FROM events WHERE stream = ?', [stream]);
  const actual = row?.version ?? 0;
  if (actual !== expectedVersion) return { ok: false, reason: 'version_conflict', expected: expectedVersion, actual };
  const positions: number[] = [];
  let version = actual;
  for (const event of events) {
    version += 1;
    const r = await tx.run(
      'INSERT INTO events (stream, version, type, schema_version, data, meta, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [stream, version, event.type, event.schema_version, JSON.stringify(event.data), JSON.stringify(event.meta), recordedAt],
    );
    positions.push(r.lastInsertRowid);
  }
  return { ok: true, positions, version };
}

/** An event with its stream and version decided by a caller that read the stream's head in the same transaction. */
export interface PlacedEvent extends NewEvent {
  stream: string;
  version: number;
  recorded_at: string;
}

const insertEvents = insertRows('events', ['stream', 'version', 'type', 'schema_version', 'data', 'meta', 'recorded_at']);

/**
 * Appends many streams' events in multi-row inserts, in the order given. For a caller that read
 * each stream's newest version in this transaction (a write transaction holds the file's lock,
 * so nothing else moved them): the version check is that read, and UNIQUE(stream, version)
 * still refuses a version given twice, failing the whole transaction.
 */
export async function appendPlaced(tx: Queryable, events: readonly PlacedEvent[]): Promise<void> {
  await insertEvents(
    tx,
    events.map((e) => [e.stream, e.version, e.type, e.schema_version, JSON.stringify(e.data), JSON.stringify(e.meta), e.recorded_at]),
  );
}
