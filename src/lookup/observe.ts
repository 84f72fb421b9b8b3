import type { Db } from '../db/db.ts';
import {
  PERMIT_OBSERVED,
  PERMIT_OBSERVED_SCHEMA_VERSION,
  permitStream,
  type PermitObservedData,
  type PermitObservedMeta,
} from '../events/permit-observed.ts';
import { contentHash } from '../permits/content-hash.ts';
import type { PermitRecord } from '../permits/record.ts';
import type { Projector } from '../projections/projector.ts';
import { append } from '../store/append.ts';
import { readLast } from '../store/read.ts';
import { touchFreshness } from './freshness.ts';

/** Another process appended between our read and our write: re-read and try again this often. */
export const OBSERVE_MAX_ATTEMPTS = 3;

export interface ObserveInput {
  record: PermitRecord;
  source: PermitObservedData['source'];
  source_url: string;
  meta: PermitObservedMeta;
  observedAt: string;
}

export type ObserveResult =
  { ok: true; appended: boolean; stream: string; version: number } | { ok: false; reason: 'version_conflict'; stream: string };

/**
 * The one write path for permit facts: in one transaction, append `permit.observed` if the
 * record's content hash differs from the stream's last event, bring every projection up to date,
 * and mark the permit as checked. An unchanged re-check appends nothing.
 */
export async function observe(db: Db, projector: Projector, input: ObserveInput): Promise<ObserveResult> {
  const stream = permitStream(input.record.jurisdiction, input.record.permit_number);
  const hash = contentHash(input.record);
  for (let attempt = 1; attempt <= OBSERVE_MAX_ATTEMPTS; attempt++) {
    const result = await db.transaction(async (tx): Promise<ObserveResult> => {
      const last = await readLast(tx, stream);
      const lastHash = last ? (JSON.parse(last.data) as { content_hash?: string }).content_hash : undefined;
      if (last && lastHash === hash) {
        await touchFreshness(tx, stream, input.observedAt);
        return { ok: true, appended: false, stream, version: last.version };
      }
      const data: PermitObservedData = {
        record: input.record,
        observed_at: input.observedAt,
        source: input.source,
        source_url: input.source_url,
        content_hash: hash,
      };
      const appended = await append(
        tx,
        stream,
        last?.version ?? 0,
        [{ type: PERMIT_OBSERVED, schema_version: PERMIT_OBSERVED_SCHEMA_VERSION, data, meta: input.meta }],
        input.observedAt,
      );
      if (!appended.ok) return { ok: false, reason: 'version_conflict', stream };
      await projector.catchUp(tx);
      await touchFreshness(tx, stream, input.observedAt);
      return { ok: true, appended: true, stream, version: appended.version };
    });
    if (result.ok) return result;
  }
  return { ok: false, reason: 'version_conflict', stream };
}
