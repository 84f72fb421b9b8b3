import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type Harness, startHarness } from './harness.ts';

// Issue 16, defect 1: a sandbox (sk_test_) key with `admin` managed the live plane. The rule:
// there is no account above keys, so the scope an admin key manages is its plane. A live admin
// key manages every key; a sandbox admin key manages sandbox keys only, and a live key's id is
// answered as if it did not exist.
describe('a sandbox admin key stays in the sandbox plane', () => {
  let h: Harness;
  let liveAdmin: string;
  let sandboxAdmin: string;
  let liveKeyId: string;
  beforeAll(async () => {
    h = await startHarness();
    liveAdmin = await h.key('enterprise', { permissions: ['read', 'write', 'admin'] });
    sandboxAdmin = await h.key('free', { sandbox: true, permissions: ['read', 'write', 'admin'] });
    const live = await send('POST', '/api/v1/keys', liveAdmin, { name: 'live reader', plan: 'developer' });
    liveKeyId = live.body.id;
    // Usage rows for the live key, so "every key" has something live to leak.
    await send('GET', '/api/v1/jurisdictions/ladbs/stats', live.body.key);
  });
  afterAll(() => h.close());

  const send = (method: string, path: string, key: string, body?: unknown) => callApi(h.server.url, method, path, key, body);

  it('creates sandbox keys only: no sandbox flag means sandbox, sandbox: false is 403', async () => {
    const made = await send('POST', '/api/v1/keys', sandboxAdmin, { name: 'escalate', plan: 'enterprise', permissions: ['admin'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ sandbox: true, key: expect.stringMatching(/^sk_test_/) });
    expect(await send('POST', '/api/v1/keys', sandboxAdmin, { name: 'escalate', plan: 'enterprise', sandbox: false })).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions' },
    });
    // A live admin still creates live keys by default, and sandbox keys when asked.
    expect((await send('POST', '/api/v1/keys', liveAdmin, { name: 'l', plan: 'free' })).body.key).toMatch(/^sk_live_/);
    expect((await send('POST', '/api/v1/keys', liveAdmin, { name: 's', plan: 'free', sandbox: true })).body.key).toMatch(/^sk_test_/);
  });

  it('lists sandbox keys only; a live admin lists every key', async () => {
    const seen = (await send('GET', '/api/v1/keys', sandboxAdmin)).body.keys as { id: string; sandbox: boolean }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((k) => k.sandbox)).toBe(true);
    const all = (await send('GET', '/api/v1/keys', liveAdmin)).body.keys as { id: string; sandbox: boolean }[];
    expect(all.some((k) => !k.sandbox)).toBe(true);
    expect(all.some((k) => k.sandbox)).toBe(true);
  });

  it('cannot revoke a live key (404 as for an unknown id), and the live key keeps working', async () => {
    expect(await send('DELETE', `/api/v1/keys/${liveKeyId}`, sandboxAdmin)).toMatchObject({
      status: 404,
      body: { error: 'key_not_found' },
    });
    const listed = (await send('GET', '/api/v1/keys', liveAdmin)).body.keys.find((k: { id: string }) => k.id === liveKeyId);
    expect(listed.revoked_at).toBeNull();
    // A sandbox key it made is still its to revoke.
    const mine = await send('POST', '/api/v1/keys', sandboxAdmin, { name: 'temp', plan: 'free' });
    expect(await send('DELETE', `/api/v1/keys/${mine.body.id}`, sandboxAdmin)).toMatchObject({ status: 200 });
  });

  it("reads sandbox keys' usage only", async () => {
    expect(await send('GET', `/api/v1/usage?key_id=${liveKeyId}`, sandboxAdmin)).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions' },
    });
    const everyKey = await send('GET', '/api/v1/usage', sandboxAdmin);
    expect(everyKey.status).toBe(200);
    const ids = everyKey.body.per_key.map((k: { key_id: string }) => k.key_id) as string[];
    expect(ids).not.toContain(liveKeyId);
    expect(ids).not.toContain('anonymous');
    const sandboxIds = new Set(
      ((await send('GET', '/api/v1/keys', liveAdmin)).body.keys as { id: string; sandbox: boolean }[])
        .filter((k) => k.sandbox)
        .map((k) => k.id),
    );
    expect(ids.every((id) => sandboxIds.has(id))).toBe(true);
    // The live admin reads the live key's usage.
    const live = await send('GET', `/api/v1/usage?key_id=${liveKeyId}`, liveAdmin);
    expect(live.body.per_key.map((k: { key_id: string }) => k.key_id)).toEqual([liveKeyId]);
  });
});
