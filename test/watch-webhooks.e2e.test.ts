import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { callApi, ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

// Issue 17, item 3, end to end: the watchlist's own webhooks and Plotwise's permit.status_changed,
// through the real server, dispatcher and a loopback receiver, on the scripted LADBS permit
// (real plan-check capture → derived issued page → derived inspection-passed page).
describe('watch webhooks', () => {
  let h: Harness;
  let receiver: Receiver;
  let watcher: string;
  let bystander: string;
  let refresher: string;
  const secrets: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ env: { webhook_allow_private: true } });
    receiver = await startReceiver({ secrets: () => secrets });
    watcher = await h.key('developer', { permissions: ['read', 'write'] });
    bystander = await h.key('developer', { permissions: ['read', 'write'] });
    // A key with no webhooks whose forced lookups make the portal's changes observed.
    refresher = await h.key('pro', { permissions: ['read'] });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  const send = (method: string, path: string, key: string, body?: unknown) => callApi(h.server.url, method, path, key, body);
  const refresh = () => send('GET', `/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, refresher);

  it('tells the watching key, and only it, that a permit was watched, changed and unwatched', async () => {
    const events = ['permit.added_to_watchlist', 'permit.removed_from_watchlist', 'permit.status_changed', 'inspection_complete'];
    const mine = (await send('POST', '/api/v1/webhooks', watcher, { url: `${receiver.url}/watcher`, events })).body;
    const theirs = (await send('POST', '/api/v1/webhooks', bystander, { url: `${receiver.url}/bystander`, events })).body;
    secrets.push(mine.secret);
    const received = (id: string) => () => receiver.received.filter((r) => JSON.parse(r.body).webhook_id === id);

    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    const watch = await send('POST', '/api/v1/watchlist', watcher, { permit_number: LADBS_SCRIPTED_PERMIT, label: 'Midvale' });
    expect(watch.status).toBe(201);
    const added = await until(received(mine.webhook_id), (r) => r.length >= 1);
    expect(JSON.parse(added[0]!.body)).toMatchObject({
      event: 'permit.added_to_watchlist',
      timestamp: watch.body.created_at,
      data: {
        permit_uuid: `permit/ladbs/${LADBS_SCRIPTED_PERMIT}`,
        permit_number: LADBS_SCRIPTED_PERMIT,
        jurisdiction: 'ladbs',
        watch_id: watch.body.id,
        label: 'Midvale',
        status: watch.body.current_status.status,
      },
      stream: `watch/${watch.body.id}`,
      version: 1,
      webhook_id: mine.webhook_id,
    });
    expect(added[0]!.verification).toMatchObject({ signedoff: true, standard: true });

    // The portal issues the permit; another key's forced lookup observes it.
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    expect((await refresh()).status).toBe(200);
    const changed = await until(received(mine.webhook_id), (r) => r.some((d) => d.event === 'permit.status_changed'));
    expect(JSON.parse(changed.find((d) => d.event === 'permit.status_changed')!.body)).toMatchObject({
      event: 'permit.status_changed',
      timestamp: expect.any(String),
      data: {
        permit_number: LADBS_SCRIPTED_PERMIT,
        previous_status: 'Quality Review Completed on 2/12/2026',
        new_status: 'Issued on 3/10/2026',
        previous_phase: 'in_review',
        new_phase: 'issued',
      },
      stream: `permit/ladbs/${LADBS_SCRIPTED_PERMIT}`,
      version: 2,
    });

    // An inspection passes.
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    expect((await refresh()).status).toBe(200);
    await until(received(mine.webhook_id), (r) => r.some((d) => d.event === 'inspection_complete'));

    expect((await send('DELETE', `/api/v1/watchlist/${watch.body.id}`, watcher)).status).toBe(204);
    const all = await until(received(mine.webhook_id), (r) => r.some((d) => d.event === 'permit.removed_from_watchlist'));
    expect(JSON.parse(all.find((d) => d.event === 'permit.removed_from_watchlist')!.body)).toMatchObject({
      data: { permit_number: LADBS_SCRIPTED_PERMIT, watch_id: watch.body.id },
      stream: `watch/${watch.body.id}`,
      version: 2,
    });
    expect(all.map((d) => d.event)).toEqual([
      'permit.added_to_watchlist',
      'permit.status_changed',
      'inspection_complete',
      'permit.removed_from_watchlist',
    ]);
    // The bystander neither watches nor looked the permit up: it hears nothing at all.
    expect(received(theirs.webhook_id)()).toEqual([]);
  });
});
