import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { callApi, startHarness, type Harness } from './harness.ts';

// Issue 21, defect 6: GET /webhooks/{id}/secret. The key that registered a webhook reads its
// secret with `write`; an `admin` key reads any webhook's secret in its own plane, never across.
describe('webhook secret recovery', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await startHarness({ env: { webhook_allow_private: true } });
    receiver = await startReceiver({ respond: () => 200 });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });
  const api = (method: string, path: string, key: string, body?: unknown) => callApi(h.server.url, method, path, key, body);
  const secretOf = (id: string, key: string) => api('GET', `/api/v1/webhooks/${id}/secret`, key);

  it('lets the owner with write read its secret, refuses read-only keys and other write keys', async () => {
    const owner = await h.key('developer', { permissions: ['read', 'write'] });
    const created = await api('POST', '/api/v1/webhooks', owner, { url: `${receiver.url}/own`, events: ['status_change'] });
    expect(created.status).toBe(201);
    const id = created.body.webhook_id;
    expect(await secretOf(id, owner)).toMatchObject({ status: 200, body: { webhook_id: id, secret: created.body.secret } });
    expect(await secretOf(id, await h.key('developer', { permissions: ['read'] }))).toMatchObject({
      status: 403,
      body: { error: 'insufficient_permissions', required_permission: 'write' },
    });
    expect(await secretOf(id, await h.key('developer', { permissions: ['read', 'write'] }))).toMatchObject({
      status: 404,
      body: { error: 'webhook_not_found' },
    });
  });

  it("lets an admin key read another key's webhook secret in its plane, never across planes", async () => {
    const owner = await h.key('developer', { permissions: ['read', 'write'] });
    const live = await api('POST', '/api/v1/webhooks', owner, { url: `${receiver.url}/live`, events: ['status_change'] });
    const sandboxOwner = await h.key('developer', { permissions: ['read', 'write'], sandbox: true });
    const sandbox = await api('POST', '/api/v1/webhooks', sandboxOwner, { url: `${receiver.url}/sandbox`, events: ['status_change'] });
    expect(sandbox.status).toBe(201);
    const liveAdmin = await h.key('developer', { permissions: ['admin'] });
    const sandboxAdmin = await h.key('developer', { permissions: ['admin'], sandbox: true });
    expect(await secretOf(live.body.webhook_id, liveAdmin)).toMatchObject({ status: 200, body: { secret: live.body.secret } });
    expect(await secretOf(sandbox.body.webhook_id, sandboxAdmin)).toMatchObject({ status: 200, body: { secret: sandbox.body.secret } });
    expect(await secretOf(sandbox.body.webhook_id, liveAdmin)).toMatchObject({ status: 404, body: { error: 'webhook_not_found' } });
    expect(await secretOf(live.body.webhook_id, sandboxAdmin)).toMatchObject({ status: 404, body: { error: 'webhook_not_found' } });
  });
});
