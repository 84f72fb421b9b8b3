import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { callApi, closedLoopbackPort, ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

/** The value of one series in a Prometheus text exposition, or undefined. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

// Issue 21: /metrics shows the outbox depth and its oldest pending age, each portal host's
// breaker state, and each key's quota used.
describe('/metrics for operators', () => {
  let h: Harness;
  beforeAll(async () => {
    // Retries an hour apart: a failed delivery stays pending for the whole test.
    h = await startHarness({ env: { webhook_allow_private: true, webhook_retry_schedule: '0,3600' } });
  });
  afterAll(() => h.close());
  const metrics = async () => (await h.get('/metrics')).body as string;

  it('reports quota used per key against its plan', async () => {
    const key = await h.key('developer');
    for (let i = 0; i < 3; i++) expect((await h.get('/api/v1/permits/16041-10000-23545/status', key)).status).toBe(200);
    const keyId = (await h.get('/api/v1/usage', key)).body.per_key[0].key_id;
    // The counters are written behind every second: the gauge reads what was flushed.
    const text = await until(metrics, (t) => series(t, 'permitwatch_quota_used', { key_id: keyId, plan: 'developer' }) === 3);
    expect(series(text, 'permitwatch_quota_used', { key_id: keyId, plan: 'developer' })).toBe(3);
    expect(series(text, 'permitwatch_quota_limit', { key_id: keyId, plan: 'developer' })).toBe(5000);
  });

  it('reports the breaker state of each portal host', async () => {
    const host = new URL(h.portal.url).host;
    expect(series(await metrics(), 'permitwatch_portal_breaker_state', { plane: 'live', host, state: 'closed' })).toBe(1);
    expect(series(await metrics(), 'permitwatch_portal_breaker_state', { plane: 'live', host, state: 'open' })).toBe(0);
  });

  it('reports the outbox depth and the age of its oldest pending delivery', async () => {
    const key = await h.key('developer', { permissions: ['read', 'write'] });
    const port = await closedLoopbackPort();
    await callApi(h.server.url, 'POST', '/api/v1/webhooks', key, { url: `http://127.0.0.1:${port}/in`, events: ['status_change'] });
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, key);
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, key);
    const text = await until(metrics, (t) => (series(t, 'permitwatch_webhook_outbox_pending', { plane: 'live' }) ?? 0) >= 1);
    expect(series(text, 'permitwatch_webhook_outbox_pending', { plane: 'live' })).toBeGreaterThanOrEqual(1);
    expect(series(text, 'permitwatch_webhook_outbox_oldest_pending_seconds', { plane: 'live' })).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(series(await metrics(), 'permitwatch_webhook_outbox_oldest_pending_seconds', { plane: 'live' })).toBeGreaterThanOrEqual(1);
  });
});
