import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_JURISDICTION as LADBS } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { callApi, startHarness, type Harness } from './harness.ts';

// Issue 17, item 1: the watchlist and Plotwise's portfolio reads, through the real server, on the
// real LADBS captures served by the fixture portal.
const PLAN_CHECK = '26014-10000-00017'; // real capture: clearances both Cleared and Not Cleared
const FINALED = '16041-10000-23545';
const OTHER = '26030-10000-01235';
/** The same portal under a second slug bare numbers do not auto-detect to: a number cached under both is ambiguous. */
const MIRROR = { ...LADBS, slug: 'ladbs-mirror', display_name: 'LADBS mirror', auto_detect: false };

describe('watchlist over HTTP', () => {
  let h: Harness;
  let a: string;
  let b: string;
  let reader: string;
  let watchId: string;
  beforeAll(async () => {
    h = await startHarness({ jurisdictions: [LADBS, MIRROR] });
    a = await h.key('developer', { permissions: ['read', 'write'] });
    b = await h.key('developer', { permissions: ['read', 'write'] });
    reader = await h.key('developer', { permissions: ['read'] });
  });
  afterAll(() => h.close());

  const send = (method: string, path: string, key: string, body?: unknown) => callApi(h.server.url, method, path, key, body);

  it('watches a permit: 201 with the watch and its current status, then 200 with the same watch', async () => {
    const first = await send('POST', '/api/v1/watchlist', a, { permit_number: PLAN_CHECK, label: 'Midvale addition' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^wat_[0-9a-f]{16}$/),
      permit_number: PLAN_CHECK,
      jurisdiction: 'ladbs',
      label: 'Midvale addition',
      note: null,
      current_status: { permit_number: PLAN_CHECK, jurisdiction: 'ladbs', status_phase: expect.any(String) },
    });
    expect(first.headers.get('x-ratelimit-remaining')).not.toBeNull();
    watchId = first.body.id;
    const again = await send('POST', '/api/v1/watchlist', a, { permit_number: PLAN_CHECK, label: 'ignored' });
    expect(again).toMatchObject({ status: 200, body: { id: watchId, label: 'Midvale addition' } });
  });

  it('answers an unknown number 404, an ambiguous one 300, a bad body 400, and needs write', async () => {
    expect(await send('POST', '/api/v1/watchlist', a, { permit_number: '99999-10000-00001' })).toMatchObject({
      status: 404,
      body: { error: 'permit_not_found' },
    });
    for (const slug of ['ladbs', 'ladbs-mirror']) {
      expect((await h.get(`/api/v1/permits/${FINALED}/status?jurisdiction=${slug}`, a)).status).toBe(200);
    }
    const ambiguous = await send('POST', '/api/v1/watchlist', a, { permit_number: FINALED });
    expect(ambiguous).toMatchObject({ status: 300, body: { error: 'multiple_jurisdictions' } });
    expect(ambiguous.body.candidates.map((c: { slug: string }) => c.slug).sort()).toEqual(['ladbs', 'ladbs-mirror']);
    expect(await send('POST', '/api/v1/watchlist', a, { permit_number: PLAN_CHECK, colour: 'red' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await send('POST', '/api/v1/watchlist', reader, { permit_number: PLAN_CHECK })).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions', required_permission: 'write' },
    });
    const anonymous = await h.post('/api/v1/watchlist', { permit_number: PLAN_CHECK });
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
  });

  it('changes the label or the note alone, and clears with null', async () => {
    expect(await send('PATCH', `/api/v1/watchlist/${watchId}`, a, { note: 'inspector calls Fridays' })).toMatchObject({
      status: 200,
      body: { id: watchId, label: 'Midvale addition', note: 'inspector calls Fridays' },
    });
    expect(await send('PATCH', `/api/v1/watchlist/${watchId}`, a, { label: null })).toMatchObject({
      status: 200,
      body: { label: null, note: 'inspector calls Fridays' },
    });
    expect(await send('PATCH', `/api/v1/watchlist/${watchId}`, a, {})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await send('PATCH', '/api/v1/watchlist/not-an-id', a, { label: 'x' })).toMatchObject({ status: 400 });
  });

  it('lists watched permits with their status, filtered and paged', async () => {
    await send('POST', '/api/v1/watchlist', a, { permit_number: OTHER, jurisdiction: 'ladbs', label: 'second' });
    await send('POST', '/api/v1/watchlist', a, { permit_number: FINALED, jurisdiction: 'ladbs-mirror' });
    const all = await h.get('/api/v1/permits', a);
    expect(all.status).toBe(200);
    expect(all.body.permits).toHaveLength(3);
    expect(all.body.next_cursor).toBeNull();
    const mine = all.body.permits.find((p: { id: string }) => p.id === watchId);
    expect(mine).toMatchObject({
      permit_number: PLAN_CHECK,
      jurisdiction: 'ladbs',
      note: 'inspector calls Fridays',
      address: expect.any(String),
    });
    expect(mine.last_synced_at).not.toBeNull();

    const mirror = await h.get('/api/v1/permits?jurisdiction=ladbs-mirror', a);
    expect(mirror.body.permits.map((p: { permit_number: string }) => p.permit_number)).toEqual([FINALED]);
    const phase = mine.status_phase as string;
    const byPhase = await h.get(`/api/v1/permits?status_phase=${phase}`, a);
    expect(byPhase.body.permits.every((p: { status_phase: string }) => p.status_phase === phase)).toBe(true);
    expect(byPhase.body.permits.some((p: { id: string }) => p.id === watchId)).toBe(true);
    expect(await h.get('/api/v1/permits?status_phase=bogus', a)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

    // Pages of one: every watch once, in the order of the unpaged list.
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await h.get(`/api/v1/permits?limit=1${cursor ? `&cursor=${cursor}` : ''}`, a);
      paged.push(...res.body.permits.map((p: { id: string }) => p.id));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(all.body.permits.map((p: { id: string }) => p.id));
    expect(await h.get('/api/v1/permits?limit=101', a)).toMatchObject({ status: 400 });
    expect(await h.get('/api/v1/permits?cursor=%27%20OR%201', a)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('gives the full record by watch id or permit number, with the caller’s watch', async () => {
    const byWatch = await h.get(`/api/v1/permits/${watchId}`, a);
    expect(byWatch.status).toBe(200);
    expect(byWatch.body).toMatchObject({
      permit_number: PLAN_CHECK,
      watch: { id: watchId, label: null, note: 'inspector calls Fridays' },
      record: { permit_number: PLAN_CHECK, fees: expect.any(Array), contacts: expect.any(Array), conditions: expect.any(Array) },
    });
    const byNumber = await h.get(`/api/v1/permits/${PLAN_CHECK}`, a);
    expect(byNumber.body.watch).toEqual(byWatch.body.watch);
    expect(byNumber.body.record).toEqual(byWatch.body.record);
    // Key B does not watch it: the record, but no watch; A's watch id is not B's.
    expect((await h.get(`/api/v1/permits/${PLAN_CHECK}`, b)).body.watch).toBeNull();
    expect(await h.get(`/api/v1/permits/${watchId}`, b)).toMatchObject({ status: 404, body: { error: 'watch_not_found' } });
  });

  it('lists contacts and conditions of the watched permits, filtered and paged', async () => {
    // Expected: each watched permit's own lists, in watch-id order, tagged with where they came from.
    const watches = (await h.get('/api/v1/watchlist', a)).body.watchlist as { id: string }[];
    const details = await Promise.all(watches.map(async (w) => (await h.get(`/api/v1/permits/${w.id}`, a)).body));
    const tagged = (list: 'contacts' | 'conditions') =>
      details.flatMap((d) =>
        d.record[list].map((x: object) => ({ ...x, watch_id: d.watch.id, permit_number: d.permit_number, jurisdiction: d.jurisdiction })),
      );
    const contacts = await h.get('/api/v1/contacts', a);
    expect(contacts.status).toBe(200);
    expect(contacts.body.contacts).toEqual(tagged('contacts'));
    expect(contacts.body.contacts.length).toBeGreaterThan(0);
    const role = contacts.body.contacts[0].role as string;
    const byRole = await h.get(`/api/v1/contacts?role=${encodeURIComponent(role.toUpperCase())}`, a);
    expect(byRole.body.contacts.length).toBeGreaterThan(0);
    expect(byRole.body.contacts.every((c: { role: string }) => c.role.toLowerCase() === role.toLowerCase())).toBe(true);
    const record = details.find((d) => d.permit_number === PLAN_CHECK).record;
    const conditions = (await h.get(`/api/v1/conditions?permit_number=${PLAN_CHECK}`, a)).body.conditions as {
      status: string;
      cleared: boolean;
    }[];
    expect(conditions).toHaveLength(record.conditions.length);
    expect(conditions.map((c) => c.cleared)).toEqual(record.conditions.map((c: { status: string }) => c.status === 'Cleared'));
    const cleared = (await h.get('/api/v1/conditions?status=cleared', a)).body.conditions as { status: string }[];
    const open = (await h.get('/api/v1/conditions?status=not_cleared', a)).body.conditions as { status: string }[];
    expect(cleared.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    expect(cleared.every((c) => c.status === 'Cleared')).toBe(true);
    expect(open.every((c) => c.status !== 'Cleared')).toBe(true);
    const every = (await h.get('/api/v1/conditions?limit=100', a)).body.conditions;
    expect(cleared.length + open.length).toBe(every.length);

    const paged: unknown[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res = await h.get(`/api/v1/conditions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, a);
      paged.push(...res.body.conditions);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(every);
    expect(await h.get('/api/v1/conditions?status=done', a)).toMatchObject({ status: 400 });
  });

  it("keeps each key's watchlist its own: B never sees, changes or removes A's watches", async () => {
    for (const path of ['/api/v1/watchlist', '/api/v1/permits', '/api/v1/contacts', '/api/v1/conditions']) {
      const res = await h.get(path, b);
      expect(res.status).toBe(200);
      expect(Object.values(res.body).find(Array.isArray)).toEqual([]);
    }
    expect(await send('PATCH', `/api/v1/watchlist/${watchId}`, b, { label: 'mine now' })).toMatchObject({
      status: 404,
      body: { error: 'watch_not_found' },
    });
    expect(await send('DELETE', `/api/v1/watchlist/${watchId}`, b)).toMatchObject({ status: 404, body: { error: 'watch_not_found' } });
    // B watching the same permit gets a watch of its own.
    const own = await send('POST', '/api/v1/watchlist', b, { permit_number: PLAN_CHECK });
    expect(own.status).toBe(201);
    expect(own.body.id).not.toBe(watchId);
    expect((await h.get('/api/v1/watchlist', b)).body.watchlist.map((w: { id: string }) => w.id)).toEqual([own.body.id]);
  });

  it('a sandbox key watches demo data only, apart from live keys', async () => {
    const sandbox = await h.key('free', { sandbox: true, permissions: ['read', 'write'] });
    const res = await send('POST', '/api/v1/watchlist', sandbox, { permit_number: PLAN_CHECK });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-sandbox-mode')).toBe('true');
    expect((await h.get('/api/v1/watchlist', sandbox)).body.watchlist.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    expect(await h.server.app.live.db.get('SELECT id FROM watchlist WHERE id = ?', [res.body.id])).toBeUndefined();
    expect(await h.server.app.demo!.db.get('SELECT id FROM watchlist WHERE id = ?', [res.body.id])).toBeDefined();
  });

  it('removes a watch: 204, gone from every list, then 404', async () => {
    expect((await send('DELETE', `/api/v1/watchlist/${watchId}`, a)).status).toBe(204);
    const left = (await h.get('/api/v1/watchlist', a)).body.watchlist.map((w: { id: string }) => w.id);
    expect(left).toHaveLength(2);
    expect(left).not.toContain(watchId);
    expect((await h.get(`/api/v1/permits/${PLAN_CHECK}`, a)).body.watch).toBeNull();
    expect(await send('DELETE', `/api/v1/watchlist/${watchId}`, a)).toMatchObject({ status: 404, body: { error: 'watch_not_found' } });
  });
});
