/**
 * Batch status vs single lookups, all cached.
 *
 * What: wall time of one `POST /api/v1/permits/batch-status` carrying 25 cached permit numbers,
 * against the same 25 numbers as 25 sequential `GET /permits/{n}/status` and as 25 concurrent
 * ones, measured in the same run against the real server (real libSQL files in a temp dir, live
 * plane pointed at the loopback fixture portal so nothing can reach a city).
 * Target (issue): reported, not gated; the batch should beat 25 sequential calls clearly.
 * Run: `node --import tsx bench/batch.ts` (by hand, never in `npm test`).
 *
 * The 25 permits are appended through `observe()`, the production write path, as realistic
 * records (testRecord: a real LADBS permit's facts) under distinct numbers, because the fixture
 * portal holds fewer than 25 captured permits. Every answer is checked to be `source: cached`.
 */
import { BATCH_MAX_PERMITS } from '../src/api/routes/batch-status.ts';
import { observe } from '../src/ingest/observe.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { startHarness } from '../test/harness.ts';
import { median, rotate } from './support.ts';
import { observation } from './workload.ts';

/** Rounds of the three scenarios; the median absorbs a noisy 2-core machine's outliers. */
const ROUNDS = 15;
/** Untimed rounds first: JIT, prepared statements and keep-alive connections warm up. */
const WARMUP_ROUNDS = 3;
/** Each round uses a fresh enterprise key: 1 + 1 + 25 + 25 calls stay far below its 600/min burst. */
const PLAN = 'enterprise';

const h = await startHarness({ demo: false });
const server = h.server;

try {
  const numbers = Array.from({ length: BATCH_MAX_PERMITS }, (_, i) => `26100-10000-${String(i + 1).padStart(5, '0')}`);
  const { live } = server.app;
  for (const permit_number of numbers) {
    const observed = await observe(live.db, live.projector, observation(testRecord({ permit_number }), new Date().toISOString()));
    if (!observed.ok || !observed.appended) throw new Error(`seeding ${permit_number} failed: ${JSON.stringify(observed)}`);
  }

  async function call(key: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${server.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  function assertCached(answers: { source: string; permit_number: string }[]): void {
    const notCached = answers.filter((a) => a.source !== 'cached');
    if (answers.length !== numbers.length || notCached.length > 0) {
      throw new Error(`expected ${numbers.length} cached answers, got ${answers.length} (${notCached.length} not cached)`);
    }
  }

  const statusPath = (n: string) => `/api/v1/permits/${encodeURIComponent(n)}/status`;
  const scenarios: Record<string, (key: string) => Promise<void>> = {
    batch: async (key) => {
      const body = await call(key, '/api/v1/permits/batch-status', { permit_numbers: numbers });
      if (body.errors.length) throw new Error(`batch errors: ${JSON.stringify(body.errors)}`);
      assertCached(body.results);
    },
    sequential: async (key) => {
      const answers = [];
      for (const n of numbers) answers.push(await call(key, statusPath(n)));
      assertCached(answers);
    },
    concurrent: async (key) => {
      assertCached(await Promise.all(numbers.map((n) => call(key, statusPath(n)))));
    },
  };
  const names = Object.keys(scenarios);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));

  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const key = await h.key(PLAN);
    // One untimed call per key: its first use writes last_used_at, which no scenario should pay for.
    await call(key, statusPath(numbers[0]!));
    // Rotate the order, so no scenario always runs first (cold) or last.
    const order = rotate(names, round);
    for (const name of order) {
      const started = performance.now();
      await scenarios[name]!(key);
      if (round >= WARMUP_ROUNDS) times[name]!.push(performance.now() - started);
    }
  }

  const batchMs = median(times.batch!);
  console.log(`${numbers.length} cached permits, ${PLAN} key, median wall time over ${ROUNDS} rounds (after ${WARMUP_ROUNDS} warm-up rounds)\n`);
  console.log(`${'scenario'.padEnd(34)} ${'median ms'.padStart(10)} ${'min ms'.padStart(8)} ${'max ms'.padStart(8)} ${'× batch'.padStart(8)}`);
  const labels: Record<string, string> = {
    batch: '1 POST batch-status (25 numbers)',
    sequential: '25 sequential GET /status',
    concurrent: '25 concurrent GET /status',
  };
  for (const name of names) {
    const t = times[name]!;
    const m = median(t);
    console.log(
      `${labels[name]!.padEnd(34)} ${m.toFixed(2).padStart(10)} ${Math.min(...t).toFixed(2).padStart(8)} ${Math.max(...t).toFixed(2).padStart(8)} ${(m / batchMs).toFixed(2).padStart(8)}`,
    );
  }
} finally {
  await h.close();
}
