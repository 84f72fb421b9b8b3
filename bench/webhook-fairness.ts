/**
 * Dispatch fairness between tenants (issue 16, defect 4: 130 hanging endpoints delayed another
 * key's delivery from 0.02 s to 30 s).
 *
 * What: one key's webhook delivery latency (append → its receiver), SAMPLES deliveries one at a
 * time, while another key has HANGING subscriptions, each on its own loopback server that reads
 * the request and never answers, with BACKLOG_PER_ENDPOINT deliveries each due. Baseline, in the
 * same run and on the same dispatcher: the same key's latency before the hanging key exists.
 * Target: p99 < 1 s with the hanging key.
 * Run: `node --import tsx bench/webhook-fairness.ts`. Bounded: each sample waits at most
 * SAMPLE_TIMEOUT_MS; the hanging attempts end at the dispatcher's attempt timeout or when
 * their servers drop the connections at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import { observe } from '../src/ingest/observe.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { startReceiver, type ReceivedDelivery } from '../src/testing/webhook-receiver.ts';
import { createDispatcher } from '../src/webhooks/dispatcher.ts';
import { createDeliveryAgent } from '../src/webhooks/post.ts';
import { createSubscription } from '../src/webhooks/subscriptions.ts';
import { markSeen } from '../src/webhooks/visibility.ts';
import { median } from './support.ts';
import { ladbsNumber, lifecycleRecord, observation } from './workload.ts';

const HANGING = 100;
const BACKLOG_PER_ENDPOINT = 3;
const SAMPLES = 30;
const SAMPLE_TIMEOUT_MS = 15_000;
const TARGET_P99_MS = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'permitwatch-bench-fairness-'));
const db = await openDatabase(`file:${join(dir, 'permitwatch.db')}`);
const projector = createPlaneProjector(createCatalog());
const agent = createDeliveryAgent({ allowPrivate: true });
let onDelivery: (d: ReceivedDelivery) => void = () => {};
const receiver = await startReceiver({ onDelivery: (d) => onDelivery(d) });
const hanging: Server[] = [];
const dispatcher = createDispatcher({ db, clock: systemClock, agent, log: pino({ level: 'silent' }), schedule: [0, 60] });
let next = 0;

function subscribe(key: string, url: string) {
  return createSubscription(
    db,
    { key_id: key, url, events: ['permit.created'], jurisdiction_filter: null, city: null, state: null, category: null, zip_code: null },
    new Date(),
  );
}

/** A new permit `key` has looked up, observed: one delivery per subscription of that key. */
async function newPermitFor(key: string): Promise<void> {
  const n = next++;
  await markSeen(db, key, `permit/ladbs/${ladbsNumber(n)}`, 'lookup', new Date().toISOString());
  const r = await observe(db, projector, observation(lifecycleRecord(n, 0), new Date().toISOString()));
  if (!r.ok || !r.appended) throw new Error(`observe ${n} failed`);
  dispatcher.wake();
}

/** SAMPLES deliveries to the fast key, one at a time: append → received, in ms. */
async function sample(): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no delivery within ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
      onDelivery = () => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      };
    });
    await newPermitFor('key_fast');
    latencies.push(await arrived);
  }
  return latencies;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;

try {
  await subscribe('key_fast', `${receiver.url}/fast`);
  dispatcher.start();
  const baseline = await sample();
  for (let i = 0; i < HANGING; i++) {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hanging.push(server);
    await subscribe('key_slow', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`);
  }
  for (let i = 0; i < BACKLOG_PER_ENDPOINT; i++) await newPermitFor('key_slow');
  await new Promise((r) => setTimeout(r, 500)); // let the hanging attempts take their slots
  const inFlight = (await db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE lease_owner IS NOT NULL AND status = 'pending'",
  ))!.n;
  const loaded = await sample();
  console.log(
    `${HANGING} hanging endpoints, ${HANGING * BACKLOG_PER_ENDPOINT} deliveries due to them, ${inFlight} leased when sampling began`,
  );
  console.log(`baseline (no hanging key): median ${median(baseline).toFixed(1)} ms, p99 ${p99(baseline).toFixed(1)} ms over ${SAMPLES}`);
  console.log(`with the hanging key:      median ${median(loaded).toFixed(1)} ms, p99 ${p99(loaded).toFixed(1)} ms over ${SAMPLES}`);
  console.log(
    `ratio p99 loaded/baseline: ${(p99(loaded) / p99(baseline)).toFixed(2)}; median ratio ${(median(loaded) / median(baseline)).toFixed(2)}`,
  );
  console.log(`target p99 < ${TARGET_P99_MS} ms: ${p99(loaded) < TARGET_P99_MS ? 'MET' : 'MISSED'}`);
} finally {
  for (const s of hanging) s.closeAllConnections();
  await dispatcher.stop();
  await Promise.all(hanging.map((s) => new Promise((r) => s.close(r))));
  await receiver.close();
  await agent.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
