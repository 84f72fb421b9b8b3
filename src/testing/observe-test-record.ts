import type { Db } from '../db/db.ts';
import { observe, type ObserveResult } from '../ingest/observe.ts';
import type { PermitRecord } from '../permits/record.ts';
import type { Projector } from '../projections/projector.ts';

/** The meta of a test observation: an LADBS adapter run that took a millisecond. */
const TEST_META = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 };

/**
 * Test-only: appends `record` as a feed observation, now, through the real write path
 * (`observe`: the log, the projections and the webhook outbox in one transaction).
 */
export function observeTestRecord(db: Db, projector: Projector, record: PermitRecord): Promise<ObserveResult> {
  return observe(db, projector, {
    record,
    source: 'feed',
    source_url: 'https://example.invalid',
    meta: TEST_META,
    observedAt: new Date().toISOString(),
  });
}
