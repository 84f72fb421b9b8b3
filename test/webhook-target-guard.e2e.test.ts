import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolveHost } from '../src/webhooks/target-guard.ts';
import { startHarness, type Harness } from './harness.ts';

// Issue 16, defect 7: the guard checked the address after TCP and TLS, so a name resolving to
// loopback was accepted at registration and connected to, and /test echoed raw socket errors (a
// port-scan oracle). Names are resolved by an injected resolver standing in for DNS and
// /etc/hosts: no test touches the network, and nothing here may connect to the loopback listener.
const PUBLIC = '93.184.215.14';
const names: Record<string, string> = {
  'localhost.': '127.0.0.1',
  'ip6-localhost': '::1',
  'intranet.example': '10.0.0.5', // a hosts entry pointing inside
  'metadata.example': '169.254.169.254',
  'hooks.example.com': PUBLIC,
  'rebind.example': PUBLIC, // public at registration, loopback later (DNS rebinding)
};
const lookups: string[] = [];
const resolve: ResolveHost = async (hostname) => {
  lookups.push(hostname);
  const address = names[hostname];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

describe('target guard before connecting, on a production-configured server', () => {
  let h: Harness;
  let key: string;
  let listener: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    h = await startHarness({ demo: false, webhookResolve: resolve });
    key = await h.key('developer', { permissions: ['read', 'write'] });
    listener = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await h.close();
    await new Promise<void>((r) => listener.close(() => r()));
  });

  const register = (url: string) => h.post('/api/v1/webhooks', { url }, key);

  it('refuses names that resolve to loopback, private or link-local addresses at registration', async () => {
    for (const [host, range] of [
      ['localhost.', 'loopback'],
      ['ip6-localhost', 'loopback'],
      ['intranet.example', 'private'],
      ['metadata.example', 'linkLocal'],
    ] as const) {
      const res = await register(`https://${host}:${port}/in`);
      expect(res.status, host).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(range) });
    }
    expect(await register('https://nowhere.example/in')).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', message: expect.stringContaining('resolve') },
    });
    expect((await register('https://hooks.example.com/in')).status).toBe(201);
    expect(lookups).toEqual(expect.arrayContaining(['localhost.', 'ip6-localhost', 'intranet.example', 'hooks.example.com']));
    expect(connections).toBe(0);
  });

  it('refuses at delivery a name that now resolves to loopback, without connecting, and says only target_blocked', async () => {
    const created = await register(`https://rebind.example:${port}/in`);
    expect(created.status).toBe(201);
    names['rebind.example'] = '127.0.0.1';
    const ping = await h.post(`/api/v1/webhooks/${created.body.webhook_id}/test`, {}, key);
    expect(ping.body).toMatchObject({ success: false, status_code: null, error: 'target_blocked' });
    const simulated = await h.post(`/api/v1/webhooks/${created.body.webhook_id}/simulate`, {}, key);
    expect(simulated.body).toMatchObject({ ok: true, delivery: { status_code: 0, error: 'target_blocked' } });
    expect(connections).toBe(0);
  });
});
