/**
 * Rebuild from a city-sized log, and the memory of a server holding a million permits.
 *
 * What: (1) `projector.rebuild(db)` (the read models replayed stream by stream into shadow tables,
 * written by a worker thread, swapped in atomically; the webhook outbox only moves its checkpoint)
 * over BENCH_EVENTS realistic `permit.observed` events, in events/s, against a minimal replay of
 * the same log in the same run (read every event in position order in the projector's page size,
 * JSON.parse it, upsert one row per event into one plain table, in the replay's transaction
 * size, on one thread): the floor a one-thread, row-per-event replay pays for reading and
 * writing. Alternating rounds, medians.
 * (2) The resident memory (VmRSS, and peak VmHWM, from /proc/<pid>/status) of the real server,
 * started as its own child process (`node --import tsx src/main.ts serve`), holding
 * BENCH_PERMITS permits, after LOOKUPS cached status lookups over HTTP, against the same server
 * holding only the LOOKUPS permits it is asked for, measured in the same run.
 * Target (issue): rebuild ≥ 20,000 events/s over 1,000,000 events; server RSS < 200 MB holding
 * 1,000,000 permits.
 * Run: `node --import tsx bench/rebuild.ts` (by hand, never in `npm test`); quick run with fewer
 * events: `BENCH_EVENTS=100000 node --import tsx bench/rebuild.ts` (BENCH_PERMITS follows
 * BENCH_EVENTS unless set). The full run takes several minutes on 2 cores.
 *
 * The log is written through the real append path (src/store/append.ts `append`, with its
 * expected-version check, plus the freshness row observe() writes) in large transactions, with
 * no projection: the rebuild builds them. Each permit is observed 1 to 5 times through the
 * lifecycle of bench/workload.ts (half once, the rest 2–5 times, about 2 events per permit), and
 * a permit's later states come 4,000 to 124,000 events after its first, so a stream's events lie
 * far apart in the log, as on a real one: the rebuild's (stream, version) scan reads them through
 * the index, not in file order. The top-up to
 * BENCH_PERMITS permits appends new permits the same way and catches the projections up with
 * the real projector. Everything lives in a temp dir, removed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixturePortal } from '../src/demo/fixture-portal.ts';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { createKey } from '../src/accounts/keys.ts';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import type { Db } from '../src/db/db.ts';
import { PERMIT_OBSERVED, PERMIT_OBSERVED_SCHEMA_VERSION, permitStream, type PermitObservedData } from '../src/events/permit-observed.ts';
import { touchFreshness } from '../src/ingest/freshness.ts';
import { contentHash } from '../src/permits/content-hash.ts';
import { CATCH_UP_BATCH, type Projector } from '../src/projections/projector.ts';
import { REPLAY_TRANSACTION_EVENTS } from '../src/projections/replay.ts';
import { append } from '../src/store/append.ts';
import { headPosition, readAll } from '../src/store/read.ts';
import { ladbsNumber, lifecycleRecord, observation } from './workload.ts';
import { BENCH_PLAN, median } from './support.ts';

/** The log size; BENCH_EVENTS overrides it for quick runs. */
const EVENTS = positiveInt('BENCH_EVENTS', 1_000_000);
/** Rebuild rounds, each alternated with a minimal-replay round: 3 × 1M keeps the run within minutes. */
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
/** Events per populating transaction: group commit is what makes writing a big log quick. */
const POPULATE_TRANSACTION_EVENTS = 10_000;
/** Cached lookups sent to each server before its memory is read; distinct permits across the log. */
const LOOKUPS = 2_000;
/** Permits the server holds for the memory measurement (the million); BENCH_PERMITS overrides. */
const PERMITS = positiveInt('BENCH_PERMITS', Math.max(EVENTS, LOOKUPS));
/** Concurrent lookups: a handful of clients, as a real instance sees. */
const LOOKUP_CONCURRENCY = 10;
/** How long a child server gets to start (migrations, listen) before the run gives up. */
const SERVER_START_TIMEOUT_MS = 60_000;
/** The bars. */
const TARGET_EVENTS_PER_SECOND = 20_000;
const TARGET_RSS_MB = 200;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Observations of permit i: half once, then 2, 3, 4 and 5 times (about 2 per permit). */
function versionsOf(i: number): number {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const p = h % 100;
  return p < 50 ? 1 : p < 70 ? 2 : p < 85 ? 3 : p < 95 ? 4 : 5;
}
/** Distance, in permits created, between two observations of permit i: 2,000 to 62,000. */
function gapOf(i: number): number {
  return 2_000 + ((Math.imul(i + 7, 40503) >>> 0) % 60_000);
}

/** The log's order: permit i's state k happens at "time" i + k × gap(i). Returns [permit, state] pairs in time order. */
function schedule(events: number): { permits: number; order: Uint32Array; states: Uint8Array } {
  let permits = 0;
  let total = 0;
  while (total < events) total += Math.min(versionsOf(permits++), events - total);
  const times = new Float64Array(events);
  const ids = new Uint32Array(events);
  const states = new Uint8Array(events);
  let e = 0;
  for (let i = 0; i < permits && e < events; i++) {
    for (let k = 0; k < versionsOf(i) && e < events; k++, e++) {
      times[e] = i + k * gapOf(i) + k / 10;
      ids[e] = i;
      states[e] = k;
    }
  }
  const idx = Array.from({ length: events }, (_, j) => j).sort((a, b) => times[a]! - times[b]!);
  return { permits, order: Uint32Array.from(idx.map((j) => ids[j]!)), states: Uint8Array.from(idx.map((j) => states[j]!)) };
}

/** Appends [permit, state] observations through the real append path, in big transactions. */
async function populate(db: Db, items: { permit: (j: number) => number; state: (j: number) => number; count: number }, startMs: number, label: string): Promise<number> {
  const started = performance.now();
  let lastReport = started;
  for (let from = 0; from < items.count; from += POPULATE_TRANSACTION_EVENTS) {
    const to = Math.min(items.count, from + POPULATE_TRANSACTION_EVENTS);
    // Built outside the transaction: this is the adapters' work, not the store's.
    const batch: { stream: string; state: number; data: PermitObservedData; meta: unknown; at: string }[] = [];
    for (let j = from; j < to; j++) {
      const state = items.state(j);
      const input = observation(lifecycleRecord(items.permit(j), state), new Date(startMs + j).toISOString());
      const data: PermitObservedData = { record: input.record, observed_at: input.observedAt, source: input.source, source_url: input.source_url, content_hash: contentHash(input.record) };
      batch.push({ stream: permitStream(input.record.jurisdiction, input.record.permit_number), state, data, meta: input.meta, at: input.observedAt });
    }
    await db.transaction(async (tx) => {
      for (const b of batch) {
        const r = await append(tx, b.stream, b.state, [{ type: PERMIT_OBSERVED, schema_version: PERMIT_OBSERVED_SCHEMA_VERSION, data: b.data, meta: b.meta }], b.at);
        if (!r.ok) throw new Error(`${b.stream}: expected version ${b.state}, log has ${r.actual}`);
        await touchFreshness(tx, b.stream, b.at);
      }
    });
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      console.log(`  ${label}: ${to}/${items.count} events (${((to / (performance.now() - started)) * 1000).toFixed(0)} events/s)`);
    }
  }
  return performance.now() - started;
}

/** The minimal replay: read, parse, one upsert per event into one plain table. Returns events. */
async function minimalReplay(db: Db): Promise<number> {
  await db.exec('DROP TABLE IF EXISTS bench_minimal_replay; CREATE TABLE bench_minimal_replay (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, record TEXT NOT NULL)');
  let from = 0;
  let done = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      let applied = 0;
      while (applied < REPLAY_TRANSACTION_EVENTS) {
        const batch = await readAll(tx, from, Math.min(CATCH_UP_BATCH, REPLAY_TRANSACTION_EVENTS - applied));
        if (batch.length === 0) break;
        for (const e of batch) {
          const data = JSON.parse(e.data) as PermitObservedData;
          await tx.run(
            'INSERT INTO bench_minimal_replay (stream, version, record) VALUES (?, ?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version, record = excluded.record',
            [e.stream, e.version, JSON.stringify(data.record)],
          );
        }
        from = batch[batch.length - 1]!.position;
        applied += batch.length;
      }
      return applied;
    });
    if (n === 0) break;
    done += n;
  }
  await db.exec('DROP TABLE bench_minimal_replay');
  return done;
}

async function assertProjected(db: Db, permits: number): Promise<void> {
  const head = await headPosition(db);
  const rows = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits'))!.n;
  const stats = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permit_stats'))!.n;
  const behind = await db.all('SELECT name FROM projection_checkpoints WHERE position <> ?', [head]);
  if (rows !== permits || stats !== permits || behind.length > 0) {
    throw new Error(`projections disagree with the log: ${rows} permits rows, ${stats} stats rows, ${behind.length} behind (expected ${permits}, ${permits}, 0)`);
  }
}

async function catchUpAll(db: Db, projector: Projector): Promise<void> {
  while ((await db.transaction((tx) => projector.catchUp(tx, { maxEvents: REPLAY_TRANSACTION_EVENTS }))) > 0);
}

interface Memory {
  rssMb: number;
  hwmMb: number;
}
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Starts the real server as a child process on a loopback port and waits for its banner. */
async function startChild(dbUrl: string, portalUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      PORT: '0',
      PERMITWATCH_HOST: '127.0.0.1',
      PERMITWATCH_DATABASE_URL: dbUrl,
      PERMITWATCH_DEMO: 'false',
      PERMITWATCH_PORTAL_OVERRIDES: `*=${portalUrl}`,
      PERMITWATCH_PLANS: JSON.stringify([BENCH_PLAN]),
      PERMITWATCH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${SERVER_START_TIMEOUT_MS} ms:\n${output}`)), SERVER_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** LOOKUPS cached lookups of the given permits, LOOKUP_CONCURRENCY at a time; every answer must be cached. */
async function lookups(url: string, key: string, numbers: readonly string[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < numbers.length) {
      const n = numbers[next++]!;
      const res = await fetch(`${url}/api/v1/permits/${n}/status`, { headers: { 'x-api-key': key } });
      const body = (await res.json()) as { source?: string; permit_number?: string };
      if (res.status !== 200 || body.source !== 'cached' || body.permit_number !== n) {
        throw new Error(`lookup ${n}: HTTP ${res.status} source=${body.source}`);
      }
    }
  }
  await Promise.all(Array.from({ length: LOOKUP_CONCURRENCY }, worker));
  return performance.now() - started;
}

/** Starts a server on dbUrl, sends the lookups, reads its memory, stops it. */
async function measureServer(dbUrl: string, portalUrl: string, key: string, numbers: readonly string[]) {
  const { child, url } = await startChild(dbUrl, portalUrl);
  try {
    const atStart = memoryOf(child.pid!);
    const ms = await lookups(url, key, numbers);
    const afterLookups = memoryOf(child.pid!);
    return { atStart, afterLookups, lookupsPerSecond: (numbers.length / ms) * 1000 };
  } finally {
    await stopChild(child);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'permitwatch-bench-rebuild-'));
const portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
try {
  const runStarted = performance.now();
  const dbUrl = `file:${join(dir, 'permitwatch.db')}`;
  const db = await openDatabase(dbUrl);
  const projector = createPlaneProjector(createCatalog());

  // 1. The log: EVENTS events through the real append path.
  const plan = schedule(EVENTS);
  const startMs = Date.now() - EVENTS - PERMITS;
  console.log(`populating ${EVENTS} events (${plan.permits} permits, ${EVENTS - plan.permits} changed versions) through append() in transactions of ${POPULATE_TRANSACTION_EVENTS}`);
  const populateMs = await populate(db, { permit: (j) => plan.order[j]!, state: (j) => plan.states[j]!, count: EVENTS }, startMs, 'populate');
  console.log(`  ${EVENTS} events in ${(populateMs / 1000).toFixed(1)} s (${((EVENTS / populateMs) * 1000).toFixed(0)} events/s)`);

  // 2. Rebuild against the minimal replay, alternating.
  const rebuildRates: number[] = [];
  const minimalRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let minimal = 0;
    let rebuilt = 0;
    const runMinimal = async () => {
      const t = performance.now();
      const n = await minimalReplay(db);
      if (n !== EVENTS) throw new Error(`minimal replay read ${n} of ${EVENTS} events`);
      minimal = (n / (performance.now() - t)) * 1000;
    };
    const runRebuild = async () => {
      const t = performance.now();
      const n = await projector.rebuild(db);
      if (n !== EVENTS) throw new Error(`rebuild replayed ${n} of ${EVENTS} events`);
      rebuilt = (n / (performance.now() - t)) * 1000;
      await assertProjected(db, plan.permits);
    };
    if (round % 2 === 0) {
      await runMinimal();
      await runRebuild();
    } else {
      await runRebuild();
      await runMinimal();
    }
    rebuildRates.push(rebuilt);
    minimalRates.push(minimal);
    ratios.push(rebuilt / minimal);
    console.log(`round ${round + 1}/${ROUNDS}: rebuild ${rebuilt.toFixed(0)} events/s (${(EVENTS / rebuilt).toFixed(1)} s)  minimal replay ${minimal.toFixed(0)} events/s  ratio ${(rebuilt / minimal).toFixed(3)}`);
  }

  // 3. Top up to PERMITS permits (new permits, one event each), projected by the real projector.
  const topUp = Math.max(0, PERMITS - plan.permits);
  if (topUp > 0) {
    console.log(`topping up: ${topUp} new permits through append(), then projector.catchUp`);
    await populate(db, { permit: (j) => plan.permits + j, state: () => 0, count: topUp }, startMs + EVENTS, 'top-up');
    await catchUpAll(db, projector);
  }
  const heldPermits = plan.permits + topUp;
  await assertProjected(db, heldPermits);
  const { key } = await createKey(db, { name: 'bench-rebuild', plan: BENCH_PLAN.name });
  // Distinct permits spread across the whole range, old and new.
  const step = Math.max(1, Math.floor(heldPermits / LOOKUPS));
  const numbers = Array.from({ length: Math.min(LOOKUPS, heldPermits) }, (_, i) => ladbsNumber((i * step) % heldPermits));
  await db.close();

  // 4. Memory: the same server holding only the looked-up permits (baseline), then all of them.
  const smallUrl = `file:${join(dir, 'small.db')}`;
  const small = await openDatabase(smallUrl);
  const smallProjector = createPlaneProjector(createCatalog());
  const indices = numbers.map((_, i) => (i * step) % heldPermits);
  await populate(small, { permit: (j) => indices[j]!, state: () => 0, count: indices.length }, Date.now() - indices.length, 'baseline');
  await catchUpAll(small, smallProjector);
  await assertProjected(small, indices.length);
  const smallKey = (await createKey(small, { name: 'bench-rebuild', plan: BENCH_PLAN.name })).key;
  await small.close();
  const baseline = await measureServer(smallUrl, portal.url, smallKey, numbers);
  const full = await measureServer(dbUrl, portal.url, key, numbers);

  const mb = (m: number) => `${m.toFixed(1)} MB`.padStart(10);
  console.log(`\nrebuild of ${EVENTS} events (${plan.permits} permits), ${ROUNDS} rounds, medians`);
  console.log(`${'scenario'.padEnd(44)} ${'events/s'.padStart(9)} ${'seconds'.padStart(8)}`);
  console.log(`${'minimal replay (read + parse + 1 upsert)'.padEnd(44)} ${median(minimalRates).toFixed(0).padStart(9)} ${(EVENTS / median(minimalRates)).toFixed(1).padStart(8)}`);
  console.log(`${'projector.rebuild (4 + outbox)'.padEnd(44)} ${median(rebuildRates).toFixed(0).padStart(9)} ${(EVENTS / median(rebuildRates)).toFixed(1).padStart(8)}`);
  const rate = median(rebuildRates);
  console.log(`rebuild ÷ minimal replay, median of per-round ratios: ${median(ratios).toFixed(3)}`);
  console.log(`rebuild: ${rate.toFixed(0)} events/s: ${rate >= TARGET_EVENTS_PER_SECOND ? 'meets' : 'MISSES'} the target ≥ ${TARGET_EVENTS_PER_SECOND}`);
  console.log(`\nserver memory (child process, /proc/<pid>/status), after ${numbers.length} cached lookups at concurrency ${LOOKUP_CONCURRENCY}`);
  console.log(`${'server holding'.padEnd(26)} ${'RSS start'.padStart(10)} ${'RSS after'.padStart(10)} ${'peak HWM'.padStart(10)} ${'lookups/s'.padStart(10)}`);
  for (const [label, m] of [[`${indices.length} permits (baseline)`, baseline], [`${heldPermits} permits`, full]] as const) {
    console.log(`${label.padEnd(26)} ${mb(m.atStart.rssMb)} ${mb(m.afterLookups.rssMb)} ${mb(m.afterLookups.hwmMb)} ${m.lookupsPerSecond.toFixed(0).padStart(10)}`);
  }
  const rss = full.afterLookups.rssMb;
  console.log(`RSS ÷ baseline: ${(rss / baseline.afterLookups.rssMb).toFixed(3)}`);
  console.log(`RSS holding ${heldPermits} permits: ${rss.toFixed(1)} MB: ${rss < TARGET_RSS_MB ? 'meets' : 'MISSES'} the target < ${TARGET_RSS_MB} MB`);
  console.log(`\nwhole run: ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
} finally {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
}
