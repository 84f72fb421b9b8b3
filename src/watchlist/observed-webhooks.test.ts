import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlaneProjector } from '../app.ts';
import type { Db } from '../db/db.ts';
import { observe } from '../ingest/observe.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { LADBS_JURISDICTION } from '../jurisdictions/ladbs/jurisdiction.ts';
import { parseLadbsDetail } from '../jurisdictions/ladbs/parse-detail.ts';
import type { PermitRecord } from '../permits/record.ts';
import { LADBS_FIXTURES, readLadbsFixture } from '../testing/ladbs-fixtures.ts';
import { specDatabase } from '../testing/projection-spec.ts';
import { createSubscription } from '../webhooks/subscriptions.ts';
import { createWatchWriter } from './write.ts';

// Issue 17 item 3: permit.fee_changed and permit.inspection_scheduled come from observed diffs
// through the one write path (observe → projections → outbox), not only from /simulate. No
// captured page shows a fee or a scheduled inspection appearing, so the second observation is
// the real 26030 capture's record with a fee and a scheduled inspection added (edits stated here).
let db: Db;
beforeEach(async () => {
  db = await specDatabase();
});
afterEach(() => db.close());

const meta = { adapter: 'ladbs', adapter_version: 'test', request_id: null, fetch_ms: null };

function captured(): PermitRecord {
  const parsed = parseLadbsDetail(readLadbsFixture(LADBS_FIXTURES.preInspection), { jurisdiction: LADBS_JURISDICTION });
  if (!parsed.found) throw new Error('the 26030 capture no longer parses');
  return parsed.record;
}

describe('webhooks of a watched permit from observed changes', () => {
  it('enqueues permit.fee_changed and permit.inspection_scheduled for the watching key', async () => {
    const projector = createPlaneProjector(createCatalog());
    const before = captured();
    const stream = `permit/ladbs/${before.permit_number}`;
    expect(
      await observe(db, projector, {
        record: before,
        source: 'portal',
        source_url: 'https://x.invalid',
        meta,
        observedAt: '2026-12-01T08:00:00.000Z',
      }),
    ).toMatchObject({ ok: true, appended: true });

    const filters = { jurisdiction_filter: null, city: null, state: null, category: null, zip_code: null };
    const sub = await createSubscription(
      db,
      { key_id: 'key_w', url: 'https://hooks.invalid/w', events: ['permit.fee_changed', 'permit.inspection_scheduled'], ...filters },
      new Date('2026-12-01T09:00:00Z'),
    );
    const stranger = await createSubscription(
      db,
      { key_id: 'key_s', url: 'https://hooks.invalid/s', events: ['permit.fee_changed', 'permit.inspection_scheduled'], ...filters },
      new Date('2026-12-01T09:00:00Z'),
    );
    await createWatchWriter(db, projector).add(
      { keyId: 'key_w', stream, jurisdiction: 'ladbs', permitNumber: before.permit_number },
      { label: null, note: null },
      '2026-12-01T09:30:00.000Z',
      { request_id: null },
    );

    const inspection = { type: 'Final', date: '2026-12-10', result: null, inspector: null, status: 'scheduled' as const };
    const fee = { description: 'Permit Fee', amount: 412.5, paid: false };
    const after: PermitRecord = { ...before, inspections: [...before.inspections, inspection], fees: [...before.fees, fee] };
    await observe(db, projector, {
      record: after,
      source: 'portal',
      source_url: 'https://x.invalid',
      meta,
      observedAt: '2026-12-02T08:00:00.000Z',
    });

    const rows = await db.all<{ webhook_id: string; event_type: string; payload: string }>(
      "SELECT webhook_id, event_type, payload FROM webhook_deliveries WHERE stream LIKE 'permit/%' ORDER BY seq",
    );
    expect(rows.map((r) => [r.webhook_id, r.event_type])).toEqual([
      [sub.id, 'permit.inspection_scheduled'],
      [sub.id, 'permit.fee_changed'],
    ]);
    expect(rows.some((r) => r.webhook_id === stranger.id)).toBe(false);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ data: { permit_uuid: stream, inspection } });
    expect(JSON.parse(rows[1]!.payload)).toMatchObject({ data: { fees_before: before.fees, fees_after: after.fees }, version: 2 });
  });
});
