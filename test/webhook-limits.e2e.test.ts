import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

// Issue 16, defect 6: subscriptions were unmetered, unbounded per key (10,000 created in 7 s),
// and GET /webhooks answered every one of them at once (4 MB).

const CAP = 3;
const TINY_HOOKS = { name: 'tinyhooks', monthly_limit: 1_000, burst_per_minute: 1_000, force_refresh: true, webhooks_max: CAP };

let h: Harness;
let key: string;

beforeAll(async () => {
  h = await startHarness({ env: { webhook_allow_private: true, plans: [TINY_HOOKS] } });
  key = await h.key('tinyhooks', { permissions: ['read', 'write'] });
});
afterAll(async () => {
  await h.close();
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.server.url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, remaining: res.headers.get('x-ratelimit-remaining'), body: await res.json() };
}

describe("a key's webhooks are capped by its plan, metered, and listed a page at a time", () => {
  it('creates up to the cap, each call metered; the next is 429 webhook_limit_exceeded and costs nothing', async () => {
    const remaining: number[] = [];
    for (let i = 0; i < CAP; i++) {
      const created = await call('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:9/hook-${i}` });
      expect(created.status).toBe(201);
      remaining.push(Number(created.remaining));
    }
    expect(remaining).toEqual([999, 998, 997]);
    const refused = await call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/one-too-many' });
    expect(refused).toMatchObject({ status: 429, body: { error: 'webhook_limit_exceeded', limit: CAP } });
    expect(refused.body.message).toContain('tinyhooks');
    const listed = await call('GET', '/api/v1/webhooks');
    expect(listed.remaining).toBe('996');

    // A deleted webhook frees its place; re-enabling it would take one again.
    const first = listed.body.webhooks[0].webhook_id;
    expect((await call('DELETE', `/api/v1/webhooks/${first}`)).status).toBe(200);
    expect((await call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/replacement' })).status).toBe(201);
    expect(await call('PATCH', `/api/v1/webhooks/${first}`, { is_active: true })).toMatchObject({
      status: 429,
      body: { error: 'webhook_limit_exceeded' },
    });
  });

  it('pages GET /webhooks with limit and next_cursor, oldest first, and refuses a bad cursor or limit', async () => {
    const all = (await call('GET', '/api/v1/webhooks')).body;
    expect(all.next_cursor).toBeNull();
    expect(all.webhooks).toHaveLength(CAP + 1); // the deleted one is still listed, inactive
    const first = await call('GET', '/api/v1/webhooks?limit=3');
    expect(first.body.webhooks).toHaveLength(3);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await call('GET', `/api/v1/webhooks?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ next_cursor: null });
    expect([...first.body.webhooks, ...second.body.webhooks].map((w: { webhook_id: string }) => w.webhook_id)).toEqual(
      all.webhooks.map((w: { webhook_id: string }) => w.webhook_id),
    );
    expect(await call('GET', '/api/v1/webhooks?cursor=not-a-cursor')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await call('GET', '/api/v1/webhooks?limit=101')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await call('GET', '/api/v1/webhooks?limit=0')).toMatchObject({ status: 400 });
  });
});
