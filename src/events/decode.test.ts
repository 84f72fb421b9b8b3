import { describe, expect, it } from 'vitest';
import { contentHash } from '../permits/content-hash.ts';
import { testRecord } from '../testing/test-record.ts';
import type { StoredEvent } from '../store/read.ts';
import { decodeFacts } from './decode.ts';

const record = testRecord();
const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  position: 7,
  stream: 'permit/ladbs/16041-10000-00001',
  version: 1,
  type: 'permit.observed',
  schema_version: 1,
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

describe('decodeFacts', () => {
  it('parses a stored permit.observed event', () => {
    const decoded = decodeFacts(stored());
    expect(decoded.ok && decoded.event.data.record).toEqual(record);
    expect(decoded.ok && decoded.event.position).toBe(7);
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
