import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliContext } from '../src/cli/context.ts';
import { listenCommand, listenSecrets } from '../src/cli/listen.ts';
import { deliveryHeaders } from '../src/webhooks/sign.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { startHarness, until, type Harness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

let h: Harness;
let receiver: Receiver;
let key: string;
let env: Record<string, string>;
const cli = (...argv: string[]) => runCliCaptured(argv, env);

beforeAll(async () => {
  // Loopback targets are refused unless allowed, as for any private address.
  h = await startHarness({ env: { webhook_allow_private: true } });
  receiver = await startReceiver();
  key = await h.key('developer', { permissions: ['read', 'write'] });
  // PORT is the server's, so the commands reach it without --url; the key comes from the env.
  env = { PERMITWATCH_LOG_LEVEL: 'silent', PORT: String(h.server.port), PERMITWATCH_API_KEY: key };
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

async function createWebhook(url: string, events: string[]): Promise<{ webhook_id: string; secret: string }> {
  const res = await fetch(`${h.server.url}/api/v1/webhooks`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { webhook_id: string; secret: string };
}

describe('permitwatch webhooks', () => {
  it('create registers a webhook with filters and prints its secret alone on the last line; delete deactivates it', async () => {
    const created = await cli(
      'webhooks',
      'create',
      `${receiver.url}/created`,
      '--events',
      'status_change,permit_approved',
      '--state',
      'ca',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    const lines = created.out.trim().split('\n');
    const secret = lines.at(-1)!;
    expect(secret).toMatch(/^whsec_/);
    const id = /created webhook (\S+) → /.exec(lines[0]!)![1]!;
    const listed = JSON.parse((await cli('webhooks', 'list', '--json')).out) as {
      webhook_id: string;
      events: string[];
      is_active: boolean;
    }[];
    expect(listed.find((w) => w.webhook_id === id)).toMatchObject({ events: ['status_change', 'permit_approved'], is_active: true });

    const json = JSON.parse((await cli('webhooks', 'create', `${receiver.url}/created-json`, '--json')).out);
    expect(json).toMatchObject({ url: `${receiver.url}/created-json`, events: ['permit.created'] });
    expect(json.secret).toMatch(/^whsec_/);

    const deleted = await cli('webhooks', 'delete', id);
    expect(deleted).toMatchObject({ code: 0, out: `deactivated webhook ${id} (its delivery log is kept)\n` });
    const after = JSON.parse((await cli('webhooks', 'list', '--json')).out) as { webhook_id: string; is_active: boolean }[];
    expect(after.find((w) => w.webhook_id === id)?.is_active ?? false).toBe(false);
    const again = await cli('webhooks', 'create', 'ftp://nowhere', '--events', 'status_change');
    expect(again.code).toBe(1);
    expect(again.err).toContain('invalid_request');
  });

  it('create --near registers a radius filter; a malformed --near exits 2 before any request', async () => {
    const created = await cli('webhooks', 'create', `${receiver.url}/near`, '--near', '41.999670854,-87.69,500', '--json');
    expect(created.code).toBe(0);
    const id = JSON.parse(created.out).webhook_id as string;
    expect(JSON.parse(created.out)).toMatchObject({ near: { lat: 41.999670854, lng: -87.69, radius_m: 500 }, events: ['permit.created'] });
    const listed = JSON.parse((await cli('webhooks', 'list', '--json')).out) as { webhook_id: string; near: unknown }[];
    expect(listed.find((w) => w.webhook_id === id)?.near).toEqual({ lat: 41.999670854, lng: -87.69, radius_m: 500 });

    const before = (JSON.parse((await cli('webhooks', 'list', '--json')).out) as unknown[]).length;
    const bad = await cli('webhooks', 'create', `${receiver.url}/near-bad`, '--near', '41.99,-87.69');
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toContain('--near expects lat,lng,radius_m');
    const far = await cli('webhooks', 'create', `${receiver.url}/near-far`, '--near', '41.99,-87.69,250000');
    expect(far.code).toBe(2);
    expect(far.err).toContain('at most 100000 metres');
    expect((JSON.parse((await cli('webhooks', 'list', '--json')).out) as unknown[]).length).toBe(before);
  });

  it('list prints the key’s subscriptions as a table and as JSON', async () => {
    const wh = await createWebhook(`${receiver.url}/list`, ['status_change', 'permit_approved']);
    const table = await cli('webhooks', 'list');
    expect(table).toMatchObject({ code: 0, err: '' });
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^WEBHOOK ID\s+URL\s+EVENTS\s+FAILURES\s+LAST TRIGGERED\s+STATE$/);
    expect(lines.find((l) => l.startsWith(wh.webhook_id))).toMatch(
      new RegExp(`^${wh.webhook_id}\\s+${receiver.url}/list\\s+status_change,permit_approved\\s+0\\s+-\\s+active$`),
    );
    const json = JSON.parse((await cli('webhooks', 'list', '--json')).out);
    expect(json.find((w: { webhook_id: string }) => w.webhook_id === wh.webhook_id)).toMatchObject({
      url: `${receiver.url}/list`,
      is_active: true,
    });
    expect(JSON.stringify(json)).not.toContain(wh.secret);
  });

  it('test has the server ping the receiver with event "test"; a receiver that is gone exits 1', async () => {
    const wh = await createWebhook(`${receiver.url}/ping`, ['status_change']);
    const ok = await cli('webhooks', 'test', wh.webhook_id);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^success: {5}true\nstatus_code: 200\nerror: {7}-\ndelivery_id: [0-9a-f-]{36}\n$/);
    const deliveryId = /delivery_id: (\S+)/.exec(ok.out)![1]!;
    const ping = receiver.received.find((r) => r.id === deliveryId);
    expect(JSON.parse(ping!.body)).toMatchObject({ event: 'test', webhook_id: wh.webhook_id });

    const gone = await startReceiver();
    await gone.close();
    const dead = await createWebhook(`${gone.url}/gone`, ['status_change']);
    const down = await cli('webhooks', 'test', dead.webhook_id, '--json');
    expect(down.code).toBe(1);
    expect(JSON.parse(down.out)).toMatchObject({ success: false, status_code: null, error: 'connection_failed' });
    expect(down.err).toContain('the receiver did not accept the test delivery');
  });

  it('deliveries shows the log of a real delivery; retry sends it again with the same id and body', async () => {
    const wh = await createWebhook(`${receiver.url}/log`, ['permit.created']);
    // A permit seen for the first time is a permit.created delivery (/test and /simulate log none).
    await h.get('/api/v1/permits/26030-10000-01235/status?force_refresh=true', key);
    const log = await until(
      () => cli('webhooks', 'deliveries', wh.webhook_id, '--json'),
      (r) => r.code === 0 && JSON.parse(r.out).deliveries[0]?.status === 'delivered',
    );
    const delivery = JSON.parse(log.out).deliveries[0];
    expect(delivery).toMatchObject({ event_type: 'permit.created', status: 'delivered', attempts: 1, last_status_code: 200 });

    const table = await cli('webhooks', 'deliveries', wh.webhook_id, '--limit', '5');
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^DELIVERY ID\s+EVENT\s+STATUS\s+ATTEMPTS\s+CODE\s+CREATED\s+NEXT ATTEMPT\s+LAST ERROR$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${delivery.id}\\s+permit\\.created\\s+delivered\\s+1\\s+200\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+\\s+-\\s+-$`),
    );
    expect(lines).toHaveLength(2);
    expect((await cli('webhooks', 'deliveries', wh.webhook_id, '--status', 'dead')).out).toBe(
      `no deliveries with status dead for webhook ${wh.webhook_id}\n`,
    );

    const retried = await cli('webhooks', 'retry', wh.webhook_id, delivery.id);
    expect(retried).toMatchObject({ code: 0, err: '' });
    expect(retried.out).toContain(`queued delivery ${delivery.id} (permit.created, attempts so far: 1)`);
    const copies = await until(
      () => receiver.received.filter((r) => r.id === delivery.id),
      (r) => r.length === 2,
    );
    expect(copies).toHaveLength(2);
    expect(copies[1]!.body).toBe(copies[0]!.body);
    expect(await cli('webhooks', 'retry', wh.webhook_id, 'not-a-delivery')).toMatchObject({
      code: 1,
      err: expect.stringContaining('404 delivery_not_found: no delivery not-a-delivery'),
    });
  });

  it('names the server’s error key and message, a missing key and an unreachable server', async () => {
    for (const argv of [
      ['deliveries', 'nope'],
      ['test', 'nope'],
      ['retry', 'nope', 'x'],
    ]) {
      expect(await cli('webhooks', ...argv)).toMatchObject({
        code: 1,
        err: expect.stringContaining('answered 404 webhook_not_found: no webhook nope under this API key'),
      });
    }
    const wh = await createWebhook(`${receiver.url}/bad`, ['status_change']);
    expect(await cli('webhooks', 'deliveries', wh.webhook_id, '--limit', '500')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/answered 400 invalid_request: .*limit/),
    });
    expect(await cli('webhooks', 'list', '--key', 'sk_live_not_a_key')).toMatchObject({
      code: 1,
      err: expect.stringContaining('401 invalid_api_key'),
    });
    const { PERMITWATCH_API_KEY: _, ...noKey } = env;
    expect(await runCliCaptured(['webhooks', 'list'], noKey)).toMatchObject({
      code: 2,
      err: 'permitwatch: webhooks belong to an API key: pass --key <key> or set PERMITWATCH_API_KEY\n',
    });
    expect(await cli('webhooks', 'list', '--url', 'http://127.0.0.1:9')).toMatchObject({
      code: 1,
      err: expect.stringContaining('cannot reach the server at http://127.0.0.1:9'),
    });
  });
});

describe('permitwatch listen', () => {
  /** Runs `listen` until the returned stop(), collecting its lines; resolves once it prints its URL. */
  async function listen(secret?: string[]) {
    const lines: string[] = [];
    const stop = new AbortController();
    const ctx = { ...cliContext({ PERMITWATCH_LOG_LEVEL: 'silent' }), out: (l: string) => void lines.push(l) };
    const done = listenCommand(ctx, { port: '0', host: '127.0.0.1', secret }, stop.signal);
    const first = await until(
      () => lines[0],
      (l) => l !== undefined,
    );
    const url = /listening for webhooks on (\S+)/.exec(first ?? '')![1]!;
    return { url, lines, stop: () => (stop.abort(), done) };
  }

  async function postSigned(url: string, secret: string) {
    const deliveryId = randomUUID();
    const body = JSON.stringify({ event: 'status_change', permit_number: '26014-10000-00017', delivery_id: deliveryId });
    const headers = deliveryHeaders({
      body,
      deliveryId,
      eventType: 'status_change',
      secrets: { current: secret, previous: null },
      now: new Date(),
    });
    const res = await fetch(`${url}/hooks`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    return deliveryId;
  }

  it('prints each delivery with both verdicts valid for the right secret, then the pretty body', async () => {
    const secret = `whsec_${'a'.repeat(64)}`;
    // The right secret second, comma-separated: a rotation overlap verifies with either.
    const l = await listen([`whsec_${'b'.repeat(64)},${secret}`]);
    try {
      expect(l.lines).toEqual([`listening for webhooks on ${l.url} (any path)`, '  verifying signatures with 2 secrets']);
      const id = await postSigned(l.url, secret);
      expect(l.lines[2]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  status_change  webhook-id ${id}$`));
      expect(l.lines[3]).toBe('  X-SignedOff-Signature: valid  Standard Webhooks: valid');
      expect(l.lines[4]).toBe(JSON.stringify({ event: 'status_change', permit_number: '26014-10000-00017', delivery_id: id }, null, 2));
    } finally {
      await l.stop();
    }
    // Stopped: the port is closed.
    await expect(fetch(l.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('shows invalid for a wrong secret and "no secret given" without one', async () => {
    const wrong = await listen([`whsec_${'c'.repeat(64)}`]);
    try {
      await postSigned(wrong.url, `whsec_${'a'.repeat(64)}`);
      expect(wrong.lines[3]).toMatch(/^ {2}X-SignedOff-Signature: invalid {2}Standard Webhooks: invalid \(.+\)$/);
    } finally {
      await wrong.stop();
    }
    const none = await listen();
    try {
      expect(none.lines[1]).toContain('no secret given: signatures are not checked');
      await postSigned(none.url, `whsec_${'a'.repeat(64)}`);
      expect(none.lines[3]).toBe('  X-SignedOff-Signature: no secret given  Standard Webhooks: no secret given');
    } finally {
      await none.stop();
    }
  });

  it('verifies what the real server sends to it with the webhook’s secret', async () => {
    // The secret exists once the webhook does, so it is registered first, then pointed here.
    const wh = await createWebhook(`${receiver.url}/elsewhere`, ['status_change']);
    const l = await listen([wh.secret]);
    try {
      const patched = await fetch(`${h.server.url}/api/v1/webhooks/${wh.webhook_id}`, {
        method: 'PATCH',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${l.url}/hooks` }),
      });
      expect(patched.status).toBe(200);
      expect((await cli('webhooks', 'test', wh.webhook_id)).code).toBe(0);
      expect(l.lines[2]).toMatch(/Z {2}test {2}webhook-id [0-9a-f-]{36}$/);
      expect(l.lines[3]).toBe('  X-SignedOff-Signature: valid  Standard Webhooks: valid');
      expect(JSON.parse(l.lines.slice(4).join('\n'))).toMatchObject({ event: 'test', webhook_id: wh.webhook_id });
    } finally {
      await l.stop();
    }
  });

  it('splits repeated and comma-separated secrets and refuses a bad port', async () => {
    expect(listenSecrets(['whsec_a, whsec_b', 'whsec_c', ''])).toEqual(['whsec_a', 'whsec_b', 'whsec_c']);
    await expect(listenCommand(cliContext({}), { port: 'x', host: '127.0.0.1' })).rejects.toThrow('--port must be 0-65535');
  });
});
