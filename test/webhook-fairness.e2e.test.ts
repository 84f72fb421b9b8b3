import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { startHarness, until, type Harness } from './harness.ts';

// Issue 16, defect 4: a dispatch round claimed a batch and claimed nothing new until its
// slowest attempt ended, so one key's hanging endpoints delayed every other key's deliveries
// by the whole delivery timeout (10 s).

/** Receivers that read the request and never answer; closed by dropping their sockets. */
const HANGING_SERVERS = 10;
const PATHS_PER_SERVER = 4;
/** Far below the 10 s attempt timeout a hanging receiver holds an old round for, with room for a busy CI machine. */
const FAIR_DELIVERY_MS = 3_000;

let h: Harness;
let good: Receiver;
const hanging: Server[] = [];
let slowKey: string;
let goodKey: string;

async function hangingServer(): Promise<{ server: Server; url: string }> {
  const server = createServer(() => {
    // Never answers: the attempt ends only at the dispatcher's timeout.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  h = await startHarness({ env: { webhook_allow_private: true } });
  good = await startReceiver();
  slowKey = await h.key('enterprise', { permissions: ['read', 'write'] });
  goodKey = await h.key('developer', { permissions: ['read', 'write'] });
  for (let i = 0; i < HANGING_SERVERS; i++) {
    const { server, url } = await hangingServer();
    hanging.push(server);
    for (let p = 0; p < PATHS_PER_SERVER; p++) {
      expect((await h.post('/api/v1/webhooks', { url: `${url}/hook-${p}`, events: ['permit.created'] }, slowKey)).status).toBe(201);
    }
  }
});
afterAll(async () => {
  for (const s of hanging) s.closeAllConnections();
  await h.close();
  await good.close();
  await Promise.all(hanging.map((s) => new Promise((r) => s.close(r))));
});

describe('dispatch is fair between keys', () => {
  it("delivers another key's event promptly while one key's endpoints hang", async () => {
    await h.post('/api/v1/webhooks', { url: `${good.url}/fast`, events: ['permit.created'] }, goodKey);
    // The slow key's permit: one delivery per hanging endpoint, claimed and left hanging.
    expect((await h.get('/api/v1/permits/16041-10000-23545/status?force_refresh=true', slowKey)).status).toBe(200);
    const inFlight = await until(
      () => h.server.app.live.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE lease_owner IS NOT NULL'),
      (r) => (r?.n ?? 0) > 0,
    );
    expect(inFlight!.n).toBeGreaterThan(0);
    const asked = Date.now();
    expect((await h.get('/api/v1/permits/26030-10000-01235/status?force_refresh=true', goodKey)).status).toBe(200);
    const got = await until(
      () => good.received.filter((r) => r.event === 'permit.created'),
      (r) => r.length > 0,
      FAIR_DELIVERY_MS * 3,
    );
    expect(got).toHaveLength(1);
    expect(got[0]!.received_at - asked).toBeLessThan(FAIR_DELIVERY_MS);
  });
});
