import type { Db, Queryable } from '../db/db.ts';
import {
  PERMIT_OBSERVED,
  PERMIT_OBSERVED_SCHEMA_VERSION,
  permitStream,
  PermitObservedData,
  type PermitObservedMeta,
} from '../events/permit-observed.ts';
import { contentHash } from '../permits/content-hash.ts';
import type { PermitRecord } from '../permits/record.ts';
import { forgetPermits } from '../projections/permits.ts';
import type { Projector } from '../projections/projector.ts';
import { issueText, type PermitObservedFacts } from '../events/decode.ts';
import { appendPlaced, type PlacedEvent } from '../store/append.ts';
import { headPosition, readLastDataFields } from '../store/read.ts';
import { touchFreshnessMany } from './freshness.ts';

/**
 * Observations per transaction in observeMany: one feed page (an ArcGIS changedSince page is
 * 500–2,000 features). Bounds how long one transaction holds the write lock.
 */
export const OBSERVE_BATCH_MAX = 500;

export interface ObserveInput {
  record: PermitRecord;
  source: PermitObservedData['source'];
  source_url: string;
  meta: PermitObservedMeta;
  observedAt: string;
  /** A feed's first sync: history, not news (the outbox sends no `permit.created` for it). */
  backfill?: boolean;
}

/**
 * What an observation did: appended an event or found its content unchanged. Always `ok`: each
 * batch reads its streams' heads inside its own write transaction, which holds the file's write
 * lock, so no other writer can move a stream between the read and the append.
 */
export type ObserveResult = { ok: true; appended: boolean; stream: string; version: number };

/** An event for the log whose payload passed its schema. */
type ObservedEvent = PlacedEvent & { data: PermitObservedData };

/** A stream's newest version and content hash, as the batch has left it so far. */
type Head = { version: number; value: unknown };

/**
 * One observation, given its stream's head as the batch has left it so far (read for the whole
 * batch in its transaction, then kept up to date here): a `permit.observed` event to append if
 * the record's content hash differs from the stream's last event, or none.
 */
function observed(input: ObserveInput, stream: string, hash: string, heads: Map<string, Head>): ObservedEvent | undefined {
  const last = heads.get(stream);
  if (last && last.value === hash) return undefined;
  // Checked with the schema the log is decoded with, before it is stored: a record no reader could
  // decode never reaches the log, and the projections get exactly what a decode would give them.
  const checked = PermitObservedData.safeParse({
    record: input.record,
    observed_at: input.observedAt,
    source: input.source,
    source_url: input.source_url,
    content_hash: hash,
    ...(input.backfill ? { backfill: true } : {}),
  });
  if (!checked.success) {
    throw new Error(`${stream}: not a valid ${PERMIT_OBSERVED} event: ${issueText(checked.error.issues[0])}`);
  }
  const data = checked.data;
  const version = (last?.version ?? 0) + 1;
  heads.set(stream, { version, value: hash });
  return {
    stream,
    version,
    type: PERMIT_OBSERVED,
    schema_version: PERMIT_OBSERVED_SCHEMA_VERSION,
    data,
    meta: input.meta,
    recorded_at: input.observedAt,
  };
}

/**
 * The one write path for permit facts: in one transaction, append what changed, bring every
 * projection up to date, and mark the permit as checked. An unchanged re-check appends nothing.
 */
export async function observe(db: Db, projector: Projector, input: ObserveInput): Promise<ObserveResult> {
  const [result] = await observeMany(db, projector, [input]);
  return result!;
}

/**
 * observe() for many observations (a feed page, or lookups that arrived together) in
 * transactions of at most OBSERVE_BATCH_MAX, with the projections caught up once per
 * transaction: the commit and the projector's reads are paid once, not per observation.
 * Observations of one stream are applied in order. Results are in input order.
 */
export async function observeMany(db: Db, projector: Projector, inputs: readonly ObserveInput[]): Promise<ObserveResult[]> {
  const results: ObserveResult[] = [];
  for (let i = 0; i < inputs.length; i += OBSERVE_BATCH_MAX) {
    const chunk = inputs.slice(i, i + OBSERVE_BATCH_MAX);
    results.push(...(await db.transaction((tx) => observeBatchIn(tx, projector, chunk))));
    forgetObserved(db, chunk);
  }
  return results;
}

/**
 * observeMany's body inside the caller's transaction, for a writer that commits more in the same
 * transaction (a feed moves its cursor with the events). At most OBSERVE_BATCH_MAX inputs; call
 * forgetObserved after the commit.
 */
export async function observeBatchIn(tx: Queryable, projector: Projector, inputs: readonly ObserveInput[]): Promise<ObserveResult[]> {
  const streams = inputs.map((input) => permitStream(input.record.jurisdiction, input.record.permit_number));
  // One read of every stream's stored hash for the batch (only the hash, via json_extract, not the payload).
  const heads = await readLastDataFields(tx, [...new Set(streams)], '$.content_hash');
  const out: ObserveResult[] = [];
  const events: ObservedEvent[] = [];
  for (const [i, input] of inputs.entries()) {
    const stream = streams[i]!;
    const event = observed(input, stream, contentHash(input.record), heads);
    if (event) events.push(event);
    out.push({ ok: true, appended: event !== undefined, stream, version: heads.get(stream)?.version ?? 0 });
  }
  // Every check, changed or not, moves the permit's freshness row.
  await touchFreshnessMany(
    tx,
    inputs.map((input, i) => [streams[i]!, input.observedAt]),
  );
  // An unchanged re-check (most of a scheduler's) appends nothing: no head to read, nothing to project.
  if (events.length === 0) return out;
  // The heads were read in this write transaction, which holds the file's lock: no other writer
  // can have moved a stream since, so every observation lands (UNIQUE(stream, version) backs this).
  const head = await headPosition(tx);
  await appendPlaced(tx, events);
  // AUTOINCREMENT numbers them from the head on; the projector checks that against the log.
  const facts = events.map((e, i): PermitObservedFacts => ({
    position: head + 1 + i,
    stream: e.stream,
    version: e.version,
    type: PERMIT_OBSERVED,
    data: e.data,
  }));
  await projector.catchUpAppended(tx, head, facts);
  return out;
}

/** After a commit: every permit of the batch was checked (freshness) or changed (projection), so cached rows go. */
export function forgetObserved(db: Db, inputs: readonly ObserveInput[]): void {
  forgetPermits(
    db,
    inputs.map((input) => ({
      stream: permitStream(input.record.jurisdiction, input.record.permit_number),
      permitNumber: input.record.permit_number,
    })),
  );
}
