import { describe, expect, it } from 'vitest';
import type { PermitObserved } from '../events/decode.ts';
import { diff } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';
import { testRecord } from '../testing/test-record.ts';
import { WEBHOOK_EVENTS, WEBHOOK_PAYLOAD_SCHEMAS } from './events.ts';
import { permitId } from '../events/permit-id.ts';
import { addressPayload, draftPayloads } from './payloads.ts';
import { sampleDraft } from './samples.ts';

const displayName = (slug: string) => (slug === 'ladbs' ? 'LADBS (City of Los Angeles)' : slug);
const placeName = (slug: string) => (slug === 'ladbs' ? 'Los Angeles' : slug);

function event(record: PermitRecord, version: number): PermitObserved {
  return {
    position: 7,
    stream: `permit/${record.jurisdiction}/${record.permit_number}`,
    version,
    type: 'permit.observed',
    recorded_at: '2026-12-04T10:00:00.000Z',
    data: {
      record,
      observed_at: '2026-12-04T10:00:00.000Z',
      source: 'portal',
      source_url: 'https://example.invalid',
      content_hash: 'a'.repeat(64),
    },
    meta: { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 },
  };
}

function drafts(prev: PermitRecord | null, next: PermitRecord, version = prev ? 2 : 1) {
  return draftPayloads(event(next, version), { prev, changes: diff(prev, next), displayName, placeName });
}

describe('webhook payloads from the log', () => {
  it('given a first sighting, gives permit.created in PermitStack shape and nothing else', () => {
    const out = drafts(null, testRecord({ valuation: 32500, dates: { applied: '2016-06-01' } }));
    expect(out.map((d) => d.event)).toEqual(['permit.created']);
    expect(out[0]!.body).toMatchObject({
      event: 'permit.created',
      delivered_at: '2026-12-04T10:00:00.000Z',
      stream: 'permit/ladbs/16041-10000-23545',
      version: 1,
      data: {
        // The UUID v5 of the stream: the same for this permit in every delivery and rebuild.
        id: permitId('permit/ladbs/16041-10000-23545'),
        permit_number: '16041-10000-23545',
        category: 'electrical',
        estimated_value: 32500,
        date_filed: '2016-06-01',
        date_issued: '2016-07-06',
        jurisdiction: 'Los Angeles',
        jurisdiction_slug: 'ladbs',
        jurisdiction_display: 'LADBS (City of Los Angeles)',
      },
    });
    // PermitStack's documented fields come first, in its order, then ours.
    expect(Object.keys((out[0]!.body as { data: object }).data)).toEqual([
      'id',
      'permit_number',
      'address',
      'category',
      'status',
      'description',
      'estimated_value',
      'date_filed',
      'date_issued',
      'jurisdiction',
      'status_phase',
      'jurisdiction_slug',
      'jurisdiction_display',
    ]);
    expect(permitId('permit/ladbs/16041-10000-23545')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("given plan check → issued, gives status_change (SignedOff shape), Plotwise's permit.status_changed, permit_approved and permit.changed", () => {
    const prev = testRecord({
      portal_status: 'Plan Check in Progress',
      status: 'Plan Check in Progress',
      status_phase: 'in_review',
      dates: { issued: null },
    });
    const next = testRecord();
    const out = drafts(prev, next);
    expect(out.map((d) => d.event)).toEqual(['status_change', 'permit.status_changed', 'permit_approved', 'permit.changed']);
    expect(out[0]!.body).toEqual({
      event: 'status_change',
      permit_number: '16041-10000-23545',
      jurisdiction: 'ladbs',
      jurisdiction_display: 'LADBS (City of Los Angeles)',
      data: {
        old_status: 'Plan Check in Progress',
        new_status: 'Issued on 7/6/2016',
        old_portal_status: 'Plan Check in Progress',
        new_portal_status: 'Issued on 7/6/2016',
        old_phase: 'in_review',
        new_phase: 'issued',
        changed_at: '2026-12-04T10:00:00.000Z',
      },
      timestamp: '2026-12-04T10:00:00.000Z',
      stream: 'permit/ladbs/16041-10000-23545',
      version: 2,
    });
    // Plotwise's documented example: event, timestamp, data.permit_uuid/permit_number, previous_status, new_status.
    expect(out[1]!.body).toEqual({
      event: 'permit.status_changed',
      timestamp: '2026-12-04T10:00:00.000Z',
      data: {
        permit_uuid: 'permit/ladbs/16041-10000-23545',
        permit_number: '16041-10000-23545',
        jurisdiction: 'ladbs',
        previous_status: 'Plan Check in Progress',
        new_status: 'Issued on 7/6/2016',
        previous_portal_status: 'Plan Check in Progress',
        new_portal_status: 'Issued on 7/6/2016',
        previous_phase: 'in_review',
        new_phase: 'issued',
        changed_at: '2026-12-04T10:00:00.000Z',
      },
      stream: 'permit/ladbs/16041-10000-23545',
      version: 2,
    });
    expect((out[3]!.body.data as { changes: { field: string }[] }).changes.map((c) => c.field)).toEqual([
      'portal_status',
      'status',
      'status_phase',
      'dates.issued',
    ]);
  });

  it('given a fee and a scheduled inspection, gives the Plotwise events', () => {
    const prev = testRecord();
    const next = testRecord({
      fees: [{ description: 'Permit Fee', amount: 120, paid: false }],
      inspections: [{ type: 'Final', date: '2026-12-10', result: null, inspector: null, status: 'scheduled' }],
    });
    const out = drafts(prev, next);
    expect(out.map((d) => d.event)).toEqual(['permit.inspection_scheduled', 'permit.fee_changed', 'permit.changed']);
    expect(out[1]!.body).toMatchObject({
      event: 'permit.fee_changed',
      data: { permit_uuid: 'permit/ladbs/16041-10000-23545', fees_before: [], fees_after: [{ amount: 120 }] },
    });
  });

  it('addresses a draft with its delivery and webhook ids, and every event has a payload matching its JSON Schema', () => {
    for (const name of WEBHOOK_EVENTS) {
      const draft = sampleDraft(name, { displayName, placeName }, new Date('2026-12-04T10:00:00Z'));
      expect(draft.event).toBe(name);
      const body = JSON.parse(addressPayload(draft, 'wh_1', 'dlv_1'));
      expect(body).toMatchObject({ event: name, delivery_id: 'dlv_1', webhook_id: 'wh_1' });
      expect(WEBHOOK_PAYLOAD_SCHEMAS[name].safeParse(body).success, name).toBe(true);
    }
  });
});
