/**
 * Webhook delivery throughput, and how soon a status change reaches a receiver.
 *
 * What: (1) deliveries per second from the real dispatcher (src/webhooks/dispatcher.ts: lease
 * claim, HMAC + Standard Webhooks signing, undici POST through the SSRF-guarded agent, one
 * attempt row and one status update per delivery, committed per round) to a loopback receiver
 * that answers 200 at once, against raw undici POSTs of the same stored bodies to the same
 * receiver at the same concurrency (DISPATCH_CONCURRENCY) in the same run: the floor any
 * delivery pays for HTTP on this machine. Alternating rounds, medians, ratio.
 * (2) Latency from a status-change append (`observe()` of a permit's next state, the production
 * write path, whose outbox projection enqueues the delivery in the same transaction) to the
 * receiver getting the delivery, with the dispatcher running as the server runs it
 * (`start()`, polling every DEFAULT_POLL_MS when idle, no wake-up hint), changes spaced at random.
 * Target (issue): ≥ 1,000 deliveries/s on 2 cores; append → first attempt p50 < 200 ms, p99 < 1 s.
 * Run: `node --import tsx bench/webhooks.ts` (by hand, never in `npm test`).
 *
 * Everything is on loopback: the delivery agent is created with private targets allowed, as
 * PERMITWATCH_WEBHOOK_ALLOW_PRIVATE=true does for local development. Each round's deliveries are
 * enqueued through observe() before the clock starts (one `permit.created` per new permit), and
 * every one is checked to be delivered, once per round, with its stable id, before a figure counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { observe } from '../src/ingest/observe.ts';
import { createDispatcher, DEFAULT_POLL_MS, DISPATCH_CONCURRENCY } from '../src/webhooks/dispatcher.ts';
import type { WebhookEvent } from '../src/webhooks/events.ts';
import { CONNECTIONS_PER_ORIGIN, createDeliveryAgent } from '../src/webhooks/post.ts';
import { startReceiver, type ReceivedDelivery } from '../src/testing/webhook-receiver.ts';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../src/webhooks/schedule.ts';
import { createSubscription, deactivateSubscription } from '../src/webhooks/subscriptions.ts';
import { markSeen } from '../src/webhooks/visibility.ts';
import { median, rotate } from './support.ts';
import { ladbsNumber, lifecycleRecord, observation } from './workload.ts';

/** Alternating rounds of dispatcher and raw POSTs; the median absorbs a noisy machine's outliers. */
const ROUNDS = 5;
/** One untimed round first: JIT, prepared statements, keep-alive connections. */
const WARMUP_ROUNDS = 1;
/** Deliveries per round: several claim rounds of CLAIM_BATCH, a few seconds of work. */
const DELIVERIES_PER_ROUND = 4_000;
/** Status changes timed for the latency figure. */
const LATENCY_SAMPLES = 300;
/** Random gap between two timed changes, so appends land anywhere in the poll cycle. */
const LATENCY_GAP_MS = { min: 5, max: 60 };
/** How long one change may take to arrive before the benchmark fails. */
const LATENCY_TIMEOUT_MS = 30_000;
/** The bars. */
const TARGET_PER_SECOND = 1_000;
const TARGET_P50_MS = 200;
const TARGET_P99_MS = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'permitwatch-bench-webhooks-'));
const db = await openDatabase(`file:${join(dir, 'permitwatch.db')}`);
const projector = createPlaneProjector(createCatalog());
let onDelivery: (d: ReceivedDelivery) => void = () => {};
const receiver = await startReceiver({ onDelivery: (d) => onDelivery(d) });
const agent = createDeliveryAgent({ allowPrivate: true });
// The baseline client: plain undici, the same connection count per origin, no guard, no signing.
const rawAgent = new Agent({ connections: CONNECTIONS_PER_ORIGIN });
const log = pino({ level: 'silent' });
let nextPermit = 0;

async function subscribe(events: WebhookEvent[]) {
  return createSubscription(
    db,
    { key_id: 'key_bench', url: `${receiver.url}/hook`, events, jurisdiction_filter: null, city: null, state: null, category: null, zip_code: null },
    new Date(),
  );
}

/** Observes `count` new permits (state 0): one `permit.created` delivery each for a matching subscription. */
async function createPermits(count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = nextPermit++;
    // The bench key looked each permit up, as the API records it: only then may its webhooks hear of it.
    await markSeen(db, 'key_bench', `permit/ladbs/${ladbsNumber(n)}`, 'lookup', new Date().toISOString());
    const r = await observe(db, projector, observation(lifecycleRecord(n, 0), new Date().toISOString()));
    if (!r.ok || !r.appended) throw new Error(`observe ${ladbsNumber(n)}: ${JSON.stringify(r)}`);
    ids.push(n);
  }
  return ids;
}

async function pendingCount(webhookId: string): Promise<number> {
  return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'", [webhookId]))!.n;
}

/** Checks that each of `ids` (delivery ids) reached the receiver exactly once in `got`. */
function assertDelivered(ids: readonly string[], got: readonly string[], label: string): void {
  const seen = new Map<string, number>();
  for (const id of got) seen.set(id, (seen.get(id) ?? 0) + 1);
  const missing = ids.filter((id) => !seen.has(id)).length;
  const twice = ids.filter((id) => (seen.get(id) ?? 0) > 1).length;
  if (missing || twice || got.length !== ids.length) throw new Error(`${label}: ${missing} missing, ${twice} twice, ${got.length} received of ${ids.length}`);
}

try {
  // 1. Throughput.
  const scenarios = [
    {
      name: 'dispatcher',
      label: 'dispatcher (claim, sign, POST, record)',
      async run(): Promise<number> {
        const sub = await subscribe(['permit.created']);
        await createPermits(DELIVERIES_PER_ROUND);
        const ids = (await db.all<{ id: string }>('SELECT id FROM webhook_deliveries WHERE webhook_id = ?', [sub.id])).map((r) => r.id);
        if (ids.length !== DELIVERIES_PER_ROUND) throw new Error(`enqueued ${ids.length} of ${DELIVERIES_PER_ROUND}`);
        const got: string[] = [];
        onDelivery = (d) => got.push(d.headers['x-permitwatch-delivery-id'] ?? d.id);
        const dispatcher = createDispatcher({ db, clock: systemClock, agent, log, schedule: DEFAULT_RETRY_SCHEDULE_SECONDS });
        const started = performance.now();
        while ((await dispatcher.runOnce()) > 0);
        const ms = performance.now() - started;
        const left = await pendingCount(sub.id);
        if (left > 0) {
          const why = await db.all("SELECT attempts, last_status_code, last_error FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending' LIMIT 3", [sub.id]);
          throw new Error(`${left} deliveries still pending after the dispatcher drained: ${JSON.stringify(why)}`);
        }
        assertDelivered(ids, got, 'dispatcher');
        // Its owner turns it off: later rounds' permits enqueue nothing for it.
        await deactivateSubscription(db, sub, new Date());
        return (DELIVERIES_PER_ROUND / ms) * 1000;
      },
    },
    {
      name: 'raw',
      label: `raw undici POST, ${DISPATCH_CONCURRENCY} in flight`,
      async run(): Promise<number> {
        // The same stored bodies the dispatcher sends (the latest round's), with only a content type.
        const rows = await db.all<{ id: string; payload: string }>('SELECT id, payload FROM webhook_deliveries ORDER BY seq DESC LIMIT ?', [DELIVERIES_PER_ROUND]);
        const got: string[] = [];
        onDelivery = (d) => got.push(d.headers['x-permitwatch-delivery-id']!);
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: DISPATCH_CONCURRENCY }, async () => {
            while (next < rows.length) {
              const row = rows[next++]!;
              const res = await request(`${receiver.url}/hook`, {
                method: 'POST',
                dispatcher: rawAgent,
                headers: { 'content-type': 'application/json', 'x-permitwatch-delivery-id': row.id },
                body: row.payload,
              });
              await res.body.dump();
              if (res.statusCode !== 200) throw new Error(`raw POST: HTTP ${res.statusCode}`);
            }
          }),
        );
        const ms = performance.now() - started;
        assertDelivered(rows.map((r) => r.id), got, 'raw');
        return (rows.length / ms) * 1000;
      },
    },
  ];
  // The raw scenario replays the dispatcher's bodies, so the first warm-up round runs it second.
  const perSecond: Record<string, number[]> = { dispatcher: [], raw: [] };
  const ratios: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const rate: Record<string, number> = {};
    for (const s of round === 0 ? scenarios : rotate(scenarios, round)) rate[s.name] = await s.run();
    if (round < WARMUP_ROUNDS) continue;
    perSecond.dispatcher!.push(rate.dispatcher!);
    perSecond.raw!.push(rate.raw!);
    ratios.push(rate.dispatcher! / rate.raw!);
    console.log(`round ${round + 1 - WARMUP_ROUNDS}/${ROUNDS}: dispatcher ${rate.dispatcher!.toFixed(0)}/s  raw ${rate.raw!.toFixed(0)}/s  ratio ${(rate.dispatcher! / rate.raw!).toFixed(3)}`);
  }

  // 2. Latency: the dispatcher running as in the server, changes appended one at a time.
  const sub = await subscribe(['status_change']);
  const permits = await createPermits(LATENCY_SAMPLES);
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  let arrived: (() => void) | undefined;
  onDelivery = (d) => {
    const number = (JSON.parse(d.body) as { permit_number?: string }).permit_number ?? '';
    const t0 = appendedAt.get(number);
    if (d.event !== 'status_change' || t0 === undefined) return;
    latencies.push(performance.now() - t0);
    appendedAt.delete(number);
    arrived?.();
  };
  const dispatcher = createDispatcher({ db, clock: systemClock, agent, log, schedule: DEFAULT_RETRY_SCHEDULE_SECONDS });
  dispatcher.start();
  try {
    for (const n of permits) {
      const gap = LATENCY_GAP_MS.min + Math.random() * (LATENCY_GAP_MS.max - LATENCY_GAP_MS.min);
      await new Promise((resolve) => setTimeout(resolve, gap));
      const before = latencies.length;
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${ladbsNumber(n)}: no delivery within ${LATENCY_TIMEOUT_MS} ms`)), LATENCY_TIMEOUT_MS);
        arrived = () => {
          if (latencies.length > before) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      // Plan check: a status change from the permit's first state (submitted).
      appendedAt.set(ladbsNumber(n), performance.now());
      const r = await observe(db, projector, observation(lifecycleRecord(n, 1), new Date().toISOString()));
      if (!r.ok || !r.appended) throw new Error(`observe ${ladbsNumber(n)}: ${JSON.stringify(r)}`);
      await done;
    }
  } finally {
    await dispatcher.stop();
  }
  if ((await pendingCount(sub.id)) > 0) throw new Error('status-change deliveries left pending');

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const rate = median(perSecond.dispatcher!);
  console.log(`\n${DELIVERIES_PER_ROUND} deliveries per scenario and round, ${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up, medians\n`);
  console.log(`${'scenario'.padEnd(42)} ${'per s'.padStart(7)} ${'÷ raw'.padStart(6)}`);
  console.log(`${scenarios[0]!.label.padEnd(42)} ${rate.toFixed(0).padStart(7)} ${median(ratios).toFixed(3).padStart(6)}`);
  console.log(`${scenarios[1]!.label.padEnd(42)} ${median(perSecond.raw!).toFixed(0).padStart(7)} ${'1'.padStart(6)}`);
  console.log(`(÷ raw: median of per-round ratios)`);
  console.log(`dispatcher: ${rate.toFixed(0)} deliveries/s: ${rate >= TARGET_PER_SECOND ? 'meets' : 'MISSES'} the target ≥ ${TARGET_PER_SECOND}`);
  console.log(`\nappend → delivery at the receiver, ${latencies.length} status changes, dispatcher polling every ${DEFAULT_POLL_MS} ms when idle`);
  console.log(`p50 ${pct(50).toFixed(1)} ms  p90 ${pct(90).toFixed(1)} ms  p99 ${pct(99).toFixed(1)} ms  max ${sorted.at(-1)!.toFixed(1)} ms`);
  console.log(`p50: ${pct(50) < TARGET_P50_MS ? 'meets' : 'MISSES'} the target < ${TARGET_P50_MS} ms; p99: ${pct(99) < TARGET_P99_MS ? 'meets' : 'MISSES'} the target < ${TARGET_P99_MS} ms`);
} finally {
  await receiver.close();
  await agent.close();
  await rawAgent.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
