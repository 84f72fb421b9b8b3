import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlaneProjector } from '../app.ts';
import { observe } from '../ingest/observe.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import type { PermitRecord } from '../permits/record.ts';
import { testRecord } from '../testing/test-record.ts';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import type { WebhookEvent } from './events.ts';
import { feedFilterRows } from './feed-filter-index.ts';
import { createSubscription, updateSubscription, type Subscription } from './subscriptions.ts';
import { markSeen } from './visibility.ts';

const AT = '2026-12-04T09:00:00.000Z';
let temp: TempDatabase;
const projector = createPlaneProjector(createCatalog());

beforeEach(async () => {
  temp = await openTempDatabase('audience');
});
afterEach(async () => {
  await temp.close();
});

async function subscribe(key: string, events: WebhookEvent[], filters: Partial<Subscription> = {}): Promise<Subscription> {
  return createSubscription(
    temp.db,
    {
      key_id: key,
      url: 'http://127.0.0.1:9/hook',
      events,
      jurisdiction_filter: null,
      city: null,
      state: null,
      category: null,
      zip_code: null,
      ...filters,
    },
    new Date(AT),
  );
}

async function see(record: PermitRecord, source: 'portal' | 'feed', at = AT) {
  const r = await observe(temp.db, projector, { record, source, source_url: 'https://example.invalid', meta: {} as never, observedAt: at });
  expect(r).toMatchObject({ ok: true, appended: true });
}

async function queued(): Promise<[string, string, number][]> {
  const rows = await temp.db.all<{ webhook_id: string; event_type: string; stream_version: number }>(
    'SELECT webhook_id, event_type, stream_version FROM webhook_deliveries ORDER BY seq',
  );
  return rows.map((r) => [r.webhook_id, r.event_type, r.stream_version]);
}

const la = (overrides: Parameters<typeof testRecord>[0] = {}) =>
  testRecord({ address: { city: 'LOS  ANGELES', state: 'CA', zip: '90034-1234' }, ...overrides });

describe('the outbox audience', () => {
  it('given a portal observation nobody looked up, enqueues nothing, however many subscriptions match', async () => {
    await subscribe('key_a', ['permit.created', 'status_change']);
    await see(la(), 'portal');
    expect(await queued()).toEqual([]);
  });

  it('given a key that looked the permit up, enqueues for its subscriptions only, filters still applying', async () => {
    const mine = await subscribe('key_a', ['permit.created', 'status_change']);
    const filtered = await subscribe('key_a', ['permit.created'], { city: 'San Diego' });
    await subscribe('key_b', ['permit.created', 'status_change']);
    await markSeen(temp.db, 'key_a', 'permit/ladbs/16041-10000-23545', 'lookup', AT);
    await see(la({ portal_status: 'Plan Check', status: 'Plan Check', status_phase: 'in_review' }), 'portal');
    await see(la(), 'portal', '2026-12-04T10:00:00.000Z');
    expect(await queued()).toEqual([
      [mine.id, 'permit.created', 1],
      [mine.id, 'status_change', 2],
    ]);
    expect(filtered.id).not.toBe(mine.id);
  });

  it('given a feed discovery, filters decide its permit.created; later changes reach only keys that see the permit', async () => {
    const city = await subscribe('key_a', ['permit.created', 'status_change'], { city: 'los angeles', zip_code: '90034' });
    const elsewhere = await subscribe('key_b', ['permit.created'], { city: 'San Diego' });
    const otherJurisdiction = await subscribe('key_c', ['permit.created'], { jurisdiction_filter: ['socrata:seattle'] });
    const everything = await subscribe('key_d', ['permit.created']);
    const wrongEvent = await subscribe('key_e', ['status_change']);
    await see(la({ portal_status: 'Plan Check', status: 'Plan Check', status_phase: 'in_review' }), 'feed');
    // Subscriptions created in the same millisecond are ordered by their random ids: compare as sets.
    expect((await queued()).sort()).toEqual(
      [
        [city.id, 'permit.created', 1],
        [everything.id, 'permit.created', 1],
      ].sort(),
    );
    await see(la(), 'feed', '2026-12-04T10:00:00.000Z');
    expect((await queued()).length).toBe(2);
    expect([elsewhere.id, otherJurisdiction.id, wrongEvent.id]).toHaveLength(3);
  });

  it('keeps the filter index in step with PATCHed filters', async () => {
    const sub = await subscribe('key_a', ['status_change']);
    await updateSubscription(temp.db, sub, { events: ['permit.created'], city: 'Los Angeles' }, new Date(AT));
    await see(la(), 'feed');
    expect(await queued()).toEqual([[sub.id, 'permit.created', 1]]);
  });
});

describe('feedFilterRows', () => {
  const base = {
    events: ['permit.created'] as WebhookEvent[],
    jurisdiction_filter: null,
    city: null,
    state: null,
    category: null,
    zip_code: null,
  };
  it('stores unset filters as *, folds city and state, cuts the ZIP to five digits, one row per jurisdiction', () => {
    expect(
      feedFilterRows('w', {
        ...base,
        jurisdiction_filter: ['ladbs', 'ladbs', 'aca:sandiego'],
        city: ' los  angeles',
        zip_code: '90034-1234',
      }),
    ).toEqual([
      ['ladbs', 'LOS ANGELES', '*', '*', '90034', 'w'],
      ['aca:sandiego', 'LOS ANGELES', '*', '*', '90034', 'w'],
    ]);
    expect(feedFilterRows('w', base)).toEqual([['*', '*', '*', '*', '*', 'w']]);
    expect(feedFilterRows('w', { ...base, events: ['status_change'] })).toEqual([]);
  });
});
