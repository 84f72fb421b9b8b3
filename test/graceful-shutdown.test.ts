import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { createKey } from '../src/accounts/keys.ts';
import type { Db } from '../src/db/db.ts';
import type { Receiver } from '../src/testing/webhook-receiver.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { SHUTDOWN_GRACE_MS } from '../src/runtime/signals.ts';
import { watchPermit } from '../src/testing/watch-permits.ts';
import { HOST_LEASE_MS } from '../src/sync/scheduler.ts';
import { openBurstWorld, queueBurst, until, type BurstWorld } from './dispatcher-burst.ts';

/** The burst queued before the server starts. */
const DELIVERIES = 300;
/** The receiver answers each delivery this late, so many attempts are in flight at the SIGTERM. */
const RECEIVER_DELAY_MS = 400;
/** SIGTERM once this many deliveries have reached the receiver: well inside the burst. */
const SIGTERM_AFTER = 40;
/** The portal answers the in-flight lookup this late: the SIGTERM lands while it waits. */
const PORTAL_DELAY_MS = 1_500;
/** Bound on starting a child server on this loaded machine, and on the burst draining after the restart. */
const WAIT_MS = 60_000;

let world: BurstWorld;
let url: string;
let db: Db;
let receiver: Receiver;
let portal: FixturePortal;
let slowPortal: Server;
let slowPortalUrl: string;
/** Requests the slow portal has had for the looked-up permit (the scheduler asks it for another). */
let lookupRequests = 0;
const LOOKED_UP = '26030-10000-01235';
let key: string;
let ids: string[];

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** `permitwatch serve` in a process of its own, on the test's database, sync on, loopback webhooks allowed. */
function startServe(): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'main.ts'), 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      PERMITWATCH_HOST: '127.0.0.1',
      PERMITWATCH_DATABASE_URL: url,
      PERMITWATCH_DEMO: 'false',
      PERMITWATCH_LOG_LEVEL: 'silent',
      PERMITWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
      PERMITWATCH_PORTAL_OVERRIDES: `*=${slowPortalUrl}`,
      PERMITWATCH_SYNC: 'on',
    },
  });
  world.children.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]!, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited early (${code})`)));
  });
}

const leasedDeliveries = async () =>
  (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE lease_owner IS NOT NULL'))!.n;

beforeAll(async () => {
  world = await openBurstWorld('pw-shutdown-', RECEIVER_DELAY_MS);
  ({ url, db, receiver } = world);
  portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
  // The fixture portal behind a delay: a portal that takes its time, so a lookup is in flight.
  slowPortal = createServer((req, res) => {
    if (req.url?.includes(`id3=${LOOKED_UP.split('-')[2]}`)) lookupRequests++;
    setTimeout(async () => {
      const upstream = await fetch(`${portal.url}${req.url}`);
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/html' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    }, PORTAL_DELAY_MS);
  });
  await new Promise<void>((r) => slowPortal.listen(0, '127.0.0.1', r));
  slowPortalUrl = `http://127.0.0.1:${(slowPortal.address() as AddressInfo).port}`;
  const made = await createKey(db, { name: 'shutdown', plan: 'developer' });
  key = made.key;
  // The dispatcher serves only a live key's webhooks: the subscription belongs to this one.
  const keyId = made.record.id;
  ids = await queueBurst(db, receiver.url, DELIVERIES, keyId);
  // A watched permit, so the scheduler holds the portal host's lease while it runs.
  await watchPermit(db, keyId, 'ladbs', '26014-10000-00017');
}, 120_000);

afterAll(async () => {
  await world.close();
  await portal.close();
  await new Promise<void>((r) => {
    slowPortal.closeAllConnections();
    slowPortal.close(() => r());
  });
});

describe('graceful shutdown of permitwatch serve', () => {
  it('SIGTERM mid-burst: the lookup in flight is answered, exit 0 within the bound, no lease left, and after a restart every delivery arrives exactly once', async () => {
    expect(ids).toHaveLength(DELIVERIES);
    const first = await startServe();
    await until(() => receiver.received.length >= SIGTERM_AFTER, WAIT_MS);
    expect(receiver.received.length).toBeGreaterThanOrEqual(SIGTERM_AFTER);

    // A live lookup that waits on the slow portal: the SIGTERM lands while it is in flight.
    const lookup = fetch(`${first.url}/api/v1/permits/${LOOKED_UP}/status?jurisdiction=ladbs`, { headers: { 'x-api-key': key } });
    await until(() => lookupRequests > 0, WAIT_MS);
    expect(lookupRequests).toBe(1);
    const signalled = Date.now();
    first.proc.kill('SIGTERM');
    const code = await first.exited;
    const took = Date.now() - signalled;
    expect(code).toBe(0);
    expect(took).toBeLessThan(SHUTDOWN_GRACE_MS);
    const answer = await lookup;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { permit_number: string }).permit_number).toBe(LOOKED_UP);

    // Every attempt in flight ended and was recorded: nothing is left leased for a lease to lapse.
    const atExit = new Set(receiver.received.map((r) => r.id)).size;
    expect(atExit).toBeLessThan(DELIVERIES); // it really stopped mid-burst
    expect(await leasedDeliveries()).toBe(0);
    const delivered = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'delivered'"))!.n;
    expect(delivered).toBe(atExit);

    const second = await startServe();
    const distinct = () => new Set(receiver.received.map((r) => r.id));
    // The burst, and the permit.created of the permit the lookup added.
    await until(() => distinct().size >= DELIVERIES + 1, WAIT_MS);
    const got = distinct();
    expect(ids.filter((id) => !got.has(id))).toEqual([]);
    // Exactly once: the SIGTERMed server's attempts all ended and were recorded, so none was sent again.
    const counts = new Map<string, number>();
    for (const r of receiver.received) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(counts.size).toBe(DELIVERIES + 1);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    console.log(`graceful shutdown: ${atExit} delivered before SIGTERM, exit after ${took} ms`);
  }, 180_000);

  it('releases the host and check leases, so the next process takes the portal at once, not after the lease', async () => {
    const first = await startServe();
    const held = () =>
      db.all<{ host: string; lease_owner: string | null }>('SELECT host, lease_owner FROM sync_hosts WHERE lease_owner IS NOT NULL');
    await until(async () => (await held()).length > 0, WAIT_MS);
    const owner = (await held())[0]!.lease_owner;
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await held()).toEqual([]);
    expect(await db.all('SELECT worker FROM sync_workers')).toEqual([]);
    expect(await db.all('SELECT stream FROM sync_schedule WHERE lease_owner IS NOT NULL')).toEqual([]);
    expect(await leasedDeliveries()).toBe(0);

    const startedAt = Date.now();
    const second = await startServe();
    await until(async () => (await held()).length > 0, WAIT_MS);
    const taken = await held();
    expect(taken).toHaveLength(1);
    expect(taken[0]!.lease_owner).not.toBe(owner);
    // The first process's host lease would have run HOST_LEASE_MS; the second did not wait for it.
    expect(Date.now() - startedAt).toBeLessThan(HOST_LEASE_MS);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
