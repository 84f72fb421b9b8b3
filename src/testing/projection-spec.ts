import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { PERMIT_OBSERVED, permitStream } from '../events/permit-observed.ts';
import { contentHash } from '../permits/content-hash.ts';
import { diff } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';
import type { ProjectedEvent, Projection } from '../projections/projection.ts';

/** When the n-th observation of a spec was made: one minute apart, from a fixed instant. */
export const observedAt = (n: number) => new Date(Date.UTC(2026, 10, 1, 8, n)).toISOString();

/**
 * Given: the events a log holds after `records` were observed in this order, at positions 1, 2,
 * 3 …, each with its stream's previous record and diff() as the projector hands them over.
 */
export function observations(...records: PermitRecord[]): ProjectedEvent[] {
  const latest = new Map<string, { version: number; record: PermitRecord }>();
  return records.map((record, i) => {
    const stream = permitStream(record.jurisdiction, record.permit_number);
    const before = latest.get(stream);
    latest.set(stream, { version: (before?.version ?? 0) + 1, record });
    const prev = before?.record ?? null;
    const data = {
      record,
      observed_at: observedAt(i),
      source: 'portal' as const,
      source_url: `https://portal.invalid/${i}`,
      content_hash: contentHash(record),
    };
    return {
      event: { position: i + 1, stream, version: (before?.version ?? 0) + 1, type: PERMIT_OBSERVED, data },
      prev,
      changes: diff(prev, record),
    };
  });
}

/** A fresh in-memory database with every migration applied. */
export const specDatabase = (): Promise<Db> => openDatabase(':memory:');

/** When: each batch handed to the projection's `handle` in a transaction of its own, as catch-up does. */
export async function handleBatches(db: Db, projection: Projection, batches: readonly (readonly ProjectedEvent[])[]): Promise<void> {
  for (const batch of batches) await db.transaction((tx) => projection.handle(batch, tx));
}

/**
 * The ways a log reaches `handle`: all in one batch, one event per batch (catch-up after each
 * observe), and stream by stream in batches of two (a rebuild, whose batches split streams).
 */
export function batchings(events: readonly ProjectedEvent[]): [string, ProjectedEvent[][]][] {
  const byStream = [...events].sort((a, b) =>
    a.event.stream < b.event.stream ? -1 : a.event.stream > b.event.stream ? 1 : a.event.version - b.event.version,
  );
  const pairs: ProjectedEvent[][] = [];
  for (let i = 0; i < byStream.length; i += 2) pairs.push(byStream.slice(i, i + 2));
  return [
    ['one batch', [[...events]]],
    ['one event per batch', events.map((e) => [e])],
    ['stream by stream, two per batch', pairs],
  ];
}

/** Then: a table's rows, every column, in primary-key order. */
export function rowsOf(db: Db, table: string, orderBy: string): Promise<Record<string, unknown>[]> {
  return db.all(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
}
