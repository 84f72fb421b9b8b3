import { describe, expect, it } from 'vitest';
import { contentHash } from '../permits/content-hash.ts';
import { testRecord } from '../testing/test-record.ts';
import type { StoredEvent } from '../store/read.ts';
import { decodeFacts, type DecodeFactsResult } from './decode.ts';
import { PERMIT_OBSERVED_SCHEMA_VERSION } from './permit-observed.ts';

const record = testRecord();
const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  position: 7,
  stream: 'permit/ladbs/16041-10000-00001',
  version: 1,
  type: 'permit.observed',
  schema_version: PERMIT_OBSERVED_SCHEMA_VERSION,
  data: JSON.stringify({
    record,
    observed_at: '2026-11-01T08:00:00.000Z',
    source: 'portal',
    source_url: 'https://example.test/permit',
    content_hash: contentHash(record),
  }),
  meta: JSON.stringify({ adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 12 }),
  recorded_at: '2026-11-01T08:00:00.000Z',
  ...overrides,
});

/** The observation payload of a decode that succeeded on a permit.observed row, else undefined. */
const observed = (d: DecodeFactsResult) => (d.ok && d.event.type === 'permit.observed' ? d.event.data : undefined);

describe('decodeFacts', () => {
  it('parses a stored permit.observed event', () => {
    const decoded = decodeFacts(stored());
    expect(observed(decoded)?.record).toEqual(record);
    expect(decoded.ok && decoded.event.position).toBe(7);
  });

  it('upcasts a v1 payload: contacts get license_class null, conditions date null, the rest as stored', () => {
    // A v1 record as the v1 LADBS parser stored it: the CSLB licence whole, the clearance undated.
    const { license_class: _class, ...v1Contact } = { ...record.contacts[0]!, license: '917355-C10' };
    const v1Record = { ...record, contacts: [v1Contact], conditions: [{ description: 'Zoning Plan Check', status: 'Not Cleared' }] };
    const v1 = { record: v1Record, observed_at: '2016-07-06T08:00:00.000Z', source: 'portal', source_url: 'https://example.test/permit', content_hash: 'a'.repeat(64) };
    const decoded = decodeFacts(stored({ schema_version: 1, data: JSON.stringify(v1) }));
    expect(decoded.ok).toBe(true);
    const upcast = observed(decoded);
    expect(upcast?.record.contacts).toEqual([{ ...v1Contact, license_class: null }]);
    expect(upcast?.record.conditions).toEqual([{ description: 'Zoning Plan Check', status: 'Not Cleared', date: null }]);
    expect(upcast?.content_hash).toBe('a'.repeat(64));
    expect({ ...upcast?.record, contacts: [], conditions: [] }).toEqual({ ...record, contacts: [], conditions: [] });
  });

  it('decodes a v2 payload unchanged: v3 only added the optional trade_valuations', () => {
    const decoded = decodeFacts(stored({ schema_version: 2 }));
    expect(observed(decoded)?.record).toEqual(record);
    expect('trade_valuations' in observed(decoded)!.record).toBe(false);
  });

  it('keeps trade_valuations of a v3 payload', () => {
    const withTrades = { ...record, trade_valuations: [{ trade: 'electrical', amount: 4200 }] };
    const data = JSON.stringify({ record: withTrades, observed_at: '2026-11-01T08:00:00.000Z', source: 'portal', source_url: 'https://example.test/permit', content_hash: contentHash(withTrades) });
    const decoded = decodeFacts(stored({ data }));
    expect(observed(decoded)?.record.trade_valuations).toEqual([{ trade: 'electrical', amount: 4200 }]);
  });

  it('upcasts a v3 payload: no coordinates were kept, so latitude and longitude are null', () => {
    const { latitude: _lat, longitude: _lng, ...v3Record } = record;
    const data = JSON.stringify({ record: v3Record, observed_at: '2026-11-01T08:00:00.000Z', source: 'portal', source_url: 'https://example.test/permit', content_hash: 'b'.repeat(64) });
    const decoded = decodeFacts(stored({ schema_version: 3, data }));
    expect(observed(decoded)?.record).toEqual({ ...v3Record, latitude: null, longitude: null });
  });

  it('keeps the coordinates of a v4 payload', () => {
    const placed = { ...record, latitude: 37.792579585, longitude: -122.403518141 };
    const data = JSON.stringify({ record: placed, observed_at: '2026-11-01T08:00:00.000Z', source: 'portal', source_url: 'https://example.test/permit', content_hash: contentHash(placed) });
    expect(observed(decodeFacts(stored({ data })))?.record).toMatchObject({ latitude: 37.792579585, longitude: -122.403518141 });
  });

  it('refuses a v1 payload that is broken in a way the upcaster does not touch', () => {
    const decoded = decodeFacts(stored({ schema_version: 1, data: JSON.stringify({ record: { ...record, status_phase: 'nope' } }) }));
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });

  it.each([
    ['an unknown type', { type: 'permit.deleted' }, 'unknown_type', /unknown event type permit.deleted/],
    ['a newer schema version', { schema_version: 9 }, 'unknown_schema_version', /v9 is newer than this build/],
    ['a payload that breaks the schema', { data: '{"record":{}}' }, 'invalid_payload', /record/],
    ['data that is not JSON', { data: '{"record":' }, 'invalid_payload', /not JSON/],
    ['a payload of an older version with no upcaster', { schema_version: 0 }, 'unknown_schema_version', /no upcaster from v0/],
  ] as const)('returns %s as a value naming the position', (_, overrides, reason, message) => {
    const decoded = decodeFacts(stored(overrides));
    expect(decoded).toMatchObject({ ok: false, reason, position: 7 });
    expect(!decoded.ok && decoded.message).toMatch(message);
  });
});

describe('decodeFacts of watch events', () => {
  const added = {
    watch_id: 'wat_1',
    key_id: 'key_1',
    stream: 'permit/ladbs/16041-10000-00001',
    jurisdiction: 'ladbs',
    permit_number: '16041-10000-00001',
    label: 'Kitchen',
    note: null,
    at: '2026-11-01T08:00:00.000Z',
  };
  const watch = (type: string, data: unknown, overrides: Partial<StoredEvent> = {}) =>
    stored({ stream: 'watch/wat_1', type, schema_version: 1, data: JSON.stringify(data), meta: '{"request_id":null}', ...overrides });

  it.each([
    ['watch.added', added],
    ['watch.updated', { label: null, note: 'call the inspector', at: '2026-11-02T08:00:00.000Z' }],
    ['watch.removed', { ...added, label: undefined, note: undefined, at: '2026-11-03T08:00:00.000Z' }],
  ] as const)('parses a stored %s event', (type, data) => {
    const decoded = decodeFacts(watch(type, data));
    expect(decoded).toMatchObject({ ok: true, event: { type, stream: 'watch/wat_1', position: 7 } });
    expect(decoded.ok && decoded.event.data).toEqual(JSON.parse(JSON.stringify(data)));
  });

  it('refuses a watch payload that breaks its schema, and a version it does not know', () => {
    expect(decodeFacts(watch('watch.added', { ...added, key_id: undefined }))).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(decodeFacts(watch('watch.updated', { label: 'x', note: null, at: 'yesterday' }))).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(decodeFacts(watch('watch.added', added, { schema_version: 2 }))).toMatchObject({ ok: false, reason: 'unknown_schema_version' });
  });
});
