import type { Db, Queryable } from '../db/db.ts';
import {
  PERMIT_OBSERVED,
  PERMIT_OBSERVED_SCHEMA_VERSION,
  permitStream,
  type PermitObservedData,
  type PermitObservedMeta,
} from '../events/permit-observed.ts';
import { contentHash } from '../permits/content-hash.ts';
import type { PermitRecord } from '../permits/record.ts';
import { forgetPermits } from '../projections/permits.ts';
import type { Projector } from '../projections/projector.ts';
import { append } from '../store/append.ts';
import { readLastDataFields } from '../store/read.ts';
import { touchFreshnessMany } from './freshness.ts';

/** Another process appended between our read and our write: re-read and try again this often. */
export const OBSERVE_MAX_ATTEMPTS = 3;
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

export type ObserveResult =
  { ok: true; appended: boolean; stream: string; version: number } | { ok: false; reason: 'version_conflict'; stream: string };

/** A stream's newest version and content hash, as the batch has left it so far. */
type Head = { version: number; value: unknown };

/**
 * One observation inside the caller's transaction, given its stream's head (read for the whole
 * batch, then kept up to date here): append `permit.observed` if the record's content hash
 * differs from the stream's last event. The caller marks the permit as checked and catches the
 * projections up before it commits.
 */
async function observeIn(tx: Queryable, input: ObserveInput, stream: string, hash: string, heads: Map<string, Head>): Promise<ObserveResult> {
  const last = heads.get(stream);
  if (last && last.value === hash) return { ok: true, appended: false, stream, version: last.version };
  const data: PermitObservedData = {
    record: input.record,
    observed_at: input.observedAt,
    source: input.source,
    source_url: input.source_url,
    content_hash: hash,
    ...(input.backfill ? { backfill: true } : {}),
  };
  const appended = await append(
    tx,
    stream,
    last?.version ?? 0,
    [{ type: PERMIT_OBSERVED, schema_version: PERMIT_OBSERVED_SCHEMA_VERSION, data, meta: input.meta }],
    input.observedAt,
  );
  if (!appended.ok) return { ok: false, reason: 'version_conflict', stream };
  heads.set(stream, { version: appended.version, value: hash });
  return { ok: true, appended: true, stream, version: appended.version };
}

/**
 * The one write path for permit facts: in one transaction, append what changed, bring every
 * projection up to date, and mark the permit as checked. An unchanged re-check appends nothing.
 */
export async function observe(db: Db, projector: Projector, input: ObserveInput): Promise<ObserveResult> {
  let result: ObserveResult | undefined;
  for (let attempt = 1; attempt <= OBSERVE_MAX_ATTEMPTS; attempt++) {
    [result] = await observeMany(db, projector, [input]);
    if (result!.ok) return result!;
  }
  return result!;
}

/**
 * observe() for many observations (a feed page, or lookups that arrived together) in
 * transactions of at most OBSERVE_BATCH_MAX, with the projections caught up once per
 * transaction: the commit and the projector's reads are paid once, not per observation.
 * Observations of one stream are applied in order. Results are in input order; a version
 * conflict (another process wrote the stream) is reported, not retried.
 */
export async function observeMany(db: Db, projector: Projector, inputs: readonly ObserveInput[]): Promise<ObserveResult[]> {
  const results: ObserveResult[] = [];
  for (let i = 0; i < inputs.length; i += OBSERVE_BATCH_MAX) {
    const chunk = inputs.slice(i, i + OBSERVE_BATCH_MAX);
    results.push(
      ...(await db.transaction((tx) => observeBatchIn(tx, projector, chunk))),
    );
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
  const checked: [string, string][] = [];
  for (const [i, input] of inputs.entries()) {
    const r = await observeIn(tx, input, streams[i]!, contentHash(input.record), heads);
    out.push(r);
    // Every check, changed or not, moves the permit's freshness row; a conflict was no check of ours.
    if (r.ok) checked.push([r.stream, input.observedAt]);
  }
  await touchFreshnessMany(tx, checked);
  if (out.some((r) => r.ok && r.appended)) await projector.catchUp(tx);
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
