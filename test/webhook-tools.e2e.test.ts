import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_PREVIEW_CHARS } from '../src/webhooks/post.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { callApi, startHarness, type Harness } from './harness.ts';

// Issue 21, defect 5: /test and /simulate against a receiver answering 500 report `HTTP 500`
// and a short excerpt of what it said; /simulate's payloads agree with themselves.
describe('webhook test and simulate against a failing receiver', () => {
  let h: Harness;
  let receiver: Receiver;
  let key: string;
  let id: string;
  const said = 'upstream exploded: database is locked '.repeat(40);
  beforeAll(async () => {
    h = await startHarness({ env: { webhook_allow_private: true } });
    receiver = await startReceiver({ respond: () => ({ status: 500, body: said }) });
    key = await h.key('developer', { permissions: ['read', 'write'] });
    const created = await callApi(h.server.url, 'POST', '/api/v1/webhooks', key, { url: `${receiver.url}/in`, events: ['permit_denied'] });
    id = created.body.webhook_id;
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('/test reports HTTP 500 as the error and the body as a short excerpt beside it', async () => {
    const res = await callApi(h.server.url, 'POST', `/api/v1/webhooks/${id}/test`, key);
    expect(res.body).toMatchObject({ success: false, status_code: 500, error: 'HTTP 500', body_preview: said.slice(0, RESPONSE_PREVIEW_CHARS) });
  });

  it('/simulate permit_denied sends a denial that says denied, and reports HTTP 500 with the excerpt', async () => {
    const res = await callApi(h.server.url, 'POST', `/api/v1/webhooks/${id}/simulate`, key, { event: 'permit_denied' });
    expect(res.body.delivery).toMatchObject({ status_code: 500, error: 'HTTP 500', body_preview: said.slice(0, RESPONSE_PREVIEW_CHARS) });
    const sent = JSON.parse(receiver.received.find((r) => r.id === res.body.delivery.delivery_id)!.body);
    expect(sent.data).toMatchObject({ new_phase: 'denied', portal_status: expect.stringMatching(/Revoked/), new_status: expect.stringMatching(/Revoked/) });
  });
});
