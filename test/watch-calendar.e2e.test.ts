import { Writable } from 'node:stream';
import ICAL from 'ical.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, request, startHarness, type Harness } from './harness.ts';

// Issue 17 item 4: the watchlist's ICS feed over HTTP. Austin's real row (fixtures/socrata,
// 2009-074412 EP) carries an expiry date, so the feed has an entry to show.
const AUSTIN = { permit_number: '2009-074412 EP', jurisdiction: 'socrata:austin' };

describe('watchlist calendar feed', () => {
  let h: Harness;
  let admin: string;
  let a: string;
  let aId: string;
  let b: string;
  /** Every line the server logged (the access log is at info). */
  const logged: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) });
    h = await startHarness({ demo: false, log: pino({ level: 'info' }, sink) });
    admin = await h.key('enterprise', { permissions: ['admin'] });
    const made = await callApi(h.server.url, 'POST', '/api/v1/keys', admin, {
      name: 'a',
      plan: 'developer',
      permissions: ['read', 'write'],
    });
    a = made.body.key;
    aId = made.body.id;
    b = await h.key('developer', { permissions: ['read', 'write'] });
  });
  afterAll(() => h.close());

  const calendarUrl = async (key: string) => (await h.get('/api/v1/watchlist', key)).body.calendar_url as string;

  it("serves the key's expiry dates as ICS at the calendar_url, with no header, and charges the key", async () => {
    expect((await callApi(h.server.url, 'POST', '/api/v1/watchlist', a, { ...AUSTIN, label: 'Austin EP' })).status).toBe(201);
    const url = await calendarUrl(a);
    expect(url).toMatch(new RegExp(`^${h.server.url}/api/v1/watchlist/calendar\\.ics\\?token=cal_[A-Za-z0-9_-]{32}$`));
    expect(await calendarUrl(a)).toBe(url);
    expect(await calendarUrl(b)).not.toBe(url);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('x-ratelimit-remaining')).not.toBeNull();
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.summary, e.startDate.toString(), e.startDate.isDate])).toEqual([
      [`Permit expires: Austin EP (${AUSTIN.permit_number})`, '2009-10-05', true],
    ]);
    // B watches nothing: an empty, valid calendar.
    const empty = await fetch(await calendarUrl(b));
    expect(new ICAL.Component(ICAL.parse(await empty.text())).getAllSubcomponents('vevent')).toEqual([]);
  });

  it('refuses a missing or unknown token, and the token grants nothing else', async () => {
    expect(await request(`${h.server.url}/api/v1/watchlist/calendar.ics`, {})).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await request(`${h.server.url}/api/v1/watchlist/calendar.ics?token=cal_nope`, {})).toMatchObject({
      status: 401,
      body: { error: 'invalid_api_key' },
    });
    const token = new URL(await calendarUrl(a)).searchParams.get('token')!;
    expect((await h.get('/api/v1/watchlist', token)).status).toBe(401);
    expect((await request(`${h.server.url}/api/v1/watchlist?token=${token}`, {})).status).toBe(401);
  });

  it('keeps the token out of usage records and the access log, and the token dies with its key', async () => {
    const url = await calendarUrl(a);
    const token = new URL(url).searchParams.get('token')!;
    expect((await fetch(url)).status).toBe(200);
    const usage = await callApi(h.server.url, 'GET', '/api/v1/usage', admin);
    expect(usage.status).toBe(200);
    const rows = await h.server.app.live.db.all<Record<string, unknown>>('SELECT * FROM usage_daily');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).toContain('GET /api/v1/watchlist/calendar.ics');
    const access = logged.filter((l) => l.includes('/api/v1/watchlist/calendar.ics'));
    expect(access.length).toBeGreaterThan(0);
    expect(access.join('')).toContain('token=[redacted]');
    expect(logged.join('')).not.toContain(token);

    expect((await callApi(h.server.url, 'DELETE', `/api/v1/keys/${aId}`, admin)).status).toBe(200);
    expect(await request(url, {})).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
  });
});
