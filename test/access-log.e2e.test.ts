import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_SCRIPTED_PERMIT } from '../fixtures/ladbs/routes.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { callApi, ladbsRouteId, startHarness, until, type Harness } from './harness.ts';

// Issue 21: one access-log line per request at info (method, path without query secrets,
// status, ms, request id, key id); a failed webhook attempt at warn.
describe('logs', () => {
  const lines: Record<string, any>[] = [];
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    h = await startHarness({ log, env: { webhook_allow_private: true, webhook_retry_schedule: '0,3600' } });
    receiver = await startReceiver({ respond: () => ({ status: 500, body: 'receiver down' }) });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('writes one info line per request, with the key id and no query secrets', async () => {
    const key = await h.key('developer');
    const res = await h.get('/api/v1/permits/16041-10000-23545/status?token=s3cret&jurisdiction=ladbs', key, { 'x-request-id': 'req-abc-1' });
    expect(res.status).toBe(200);
    const keyId = (await h.get('/api/v1/usage', key)).body.per_key[0].key_id;
    const mine = lines.filter((l) => l.msg === 'request' && l.request_id === 'req-abc-1');
    expect(mine).toEqual([
      expect.objectContaining({
        level: 30,
        method: 'GET',
        path: '/api/v1/permits/16041-10000-23545/status?token=[redacted]&jurisdiction=ladbs',
        status: 200,
        ms: expect.any(Number),
        key_id: keyId,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    await h.get('/healthz');
    expect(lines.filter((l) => l.msg === 'request' && l.path === '/healthz')).toEqual([expect.objectContaining({ status: 200, key_id: null })]);
  });

  it('writes a warn line for a failed webhook delivery attempt', async () => {
    const key = await h.key('developer', { permissions: ['read', 'write'] });
    const created = await callApi(h.server.url, 'POST', '/api/v1/webhooks', key, { url: `${receiver.url}/in`, events: ['status_change'] });
    h.portal.setVersion(ladbsRouteId(LADBS_SCRIPTED_PERMIT), 0);
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, key);
    h.portal.advance(ladbsRouteId(LADBS_SCRIPTED_PERMIT));
    await h.get(`/api/v1/permits/${LADBS_SCRIPTED_PERMIT}/status?force_refresh=true`, key);
    const failed = () => lines.filter((l) => l.msg === 'webhook delivery attempt failed' && l.webhook_id === created.body.webhook_id);
    const got = await until(failed, (f) => f.length > 0, 10_000);
    expect(got[0]).toMatchObject({ level: 40, attempt: 1, outcome: 'retry', error: 'HTTP 500', status_code: 500 });
  });
});
