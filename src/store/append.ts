import type { Queryable } from '../db/db.ts';

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
