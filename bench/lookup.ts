/**
 * Cached status lookup through the full stack, against a bare Hono route.
 *
 * What: throughput and latency of a cached `GET /api/v1/permits/16041-10000-23545/status` with a
 * real live key (auth, burst and monthly-quota metering, permission check, projection read, JSON)
 * against a bare Hono app answering `GET /hello` with a short text, served in the SAME process
 * through the same adapter as the server (`serveFetch` of src/runtime/: @hono/node-server under
 * Node, Bun.serve under Bun) on another loopback port.
 * wrk (one thread; autocannon in one worker thread where wrk is not installed), 50 connections,
 * alternating rounds; median req/s of each, the median of the
 * per-round ratios, and the lookup's median p99 latency. A third, informative scenario on the
 * bare app: the same permits-row read the lookup makes (`getPermitRow`, one prepared statement on
 * the server's own database) returned as JSON with no auth or metering: the floor any
 * database-backed lookup starts from, so a missed ratio can be told apart from a slow stack.
 * A fourth: the bare app answering the lookup's own bytes (its body and headers, taken from a
 * cached answer before timing) with no work at all: what sending that answer costs this machine's
 * network stack, the ceiling any lookup path could reach against `/hello`'s 11 bytes.
 * A fifth: a Hono app with the API's own request middleware (`useRequestMiddleware`: request id,
 * request observer with metrics, usage and access log, URL and body limits) in front of one route
 * answering the lookup's body with `c.json`: no auth, metering or lookup. What any route inside
 * the app pays before its own work, the ceiling of a lookup that stays within the app's stack
 * (optimistic: one route here, where the API's 138 put Hono on its TrieRouter).
 * Target (issue 15): lookup req/s ÷ bare Hono req/s ≥ 0.4, and lookup p99 < 10 ms on 2 cores.
 * Run: `node --import tsx bench/lookup.ts` (by hand, never in `npm test`); `npx bun bench/lookup.ts`
 * measures the same under Bun, the single binary's runtime. With
 * `BENCH_FAST_PATH=off` the server runs without the status route's one fast path
 * (src/api/status-fast-path.ts): Hono's own composition of the route's handlers, to compare with
 * a run of the shipped path (one server per process: a second server in the same process shares
 * its event loop and garbage collector and disturbs the first).
 *
 * The load generator is wrk, a separate process with one thread, so the servers' event loop
 * (the main thread) is not also busy generating load: on 2 cores that is one core each, the
 * closest a single machine gets to a client on another host. autocannon tops out near 25k req/s
 * on 2 cores, about where bare Hono answers, so with it the baseline is the load generator's
 * ceiling, not Hono's; it is the fallback (`BENCH_LOADGEN=autocannon`, or no `wrk` on PATH:
 * `apt-get install wrk`), in one worker thread. The live plane gets the permit through the
 * real LADBS adapter from the loopback fixture portal; every answer is checked to be
 * `source: "cached"` before anything is timed, and again after the last round.
 */
import { Hono } from 'hono';
import { createUsageRecorder } from '../src/accounts/usage.ts';
import { useRequestMiddleware } from '../src/api/app.ts';
import type { AppEnv } from '../src/api/context.ts';
import { DEFAULT_MAX_URL_LENGTH } from '../src/config.ts';
import { permitStream } from '../src/events/permit-observed.ts';
import { systemClock } from '../src/lib/clock.ts';
import { getPermitRow } from '../src/projections/permits.ts';
import { currentRuntime } from '../src/runtime/runtime.ts';
import { startHarness } from '../test/harness.ts';
import { alternateRounds, BENCH_CONNECTIONS as CONNECTIONS, BENCH_PLAN, load, median, wrkAvailable, wrkLoad } from './support.ts';

/** Alternating rounds per scenario; the median absorbs a noisy 2-core machine's outliers. */
const ROUNDS = 7;
/** Seconds per autocannon run: long enough for steady state, short enough for 3 × ROUNDS runs. */
const ROUND_SECONDS = 5;
/** One untimed run per scenario first: JIT, prepared statements, connection pools. */
const WARMUP_SECONDS = 3;
/** One load-generator thread: the servers keep the main thread (one core each on 2 cores). */
const AUTOCANNON_WORKERS = 1;
/** wrk where it is installed, unless BENCH_LOADGEN=autocannon asks for the in-process fallback. */
const LOADGEN = process.env.BENCH_LOADGEN === 'autocannon' || !wrkAvailable() ? 'autocannon' : 'wrk';
/** The bars (issue 15: the idiomatic request path, no bypasses). */
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 10;
/** A captured LADBS permit the fixture portal serves; looked up once into the live plane. */
const PERMIT = '16041-10000-23545';

/** BENCH_FAST_PATH=off: the idiomatic route alone, for comparison (bench/README.md). */
const FAST_PATH = process.env.BENCH_FAST_PATH !== 'off';
const h = await startHarness({ demo: false, env: { plans: [BENCH_PLAN] }, statusFastPath: FAST_PATH });
const server = h.server;
// The baseline: the smallest Hono app, in this process, behind the same adapter; plus the
// informative floor route, reading the live plane's permits projection exactly as a lookup does.
const floorStream = permitStream('ladbs', PERMIT);
/** The cached lookup's own answer, body and headers, once the permit is held: what `/same` answers. */
const answer = { body: '', headers: {} as Record<string, string> };
const bare = new Hono()
  .get('/hello', (c) => c.text('Hello Hono!'))
  .get('/floor', async (c) => {
    const row = await getPermitRow(server.app.live.db, floorStream);
    return row ? c.json(row) : c.json({ error: 'missing' }, 404);
  })
  .get('/same', (c) => {
    for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
    return c.body(answer.body);
  });
// The runtime's own adapter, as the server's (Node: @hono/node-server; `bun bench/lookup.ts`: Bun.serve).
const { serveFetch } = await currentRuntime();
const bareListener = await serveFetch(bare.fetch, { port: 0, host: '127.0.0.1' });
// The fifth scenario: the API's request middleware, then the lookup's body as a constant.
const usage = createUsageRecorder(server.app.live.db);
const stack = new Hono<AppEnv>();
useRequestMiddleware(stack, {
  metrics: server.app.metrics,
  usage,
  clock: systemClock,
  log: server.app.log,
  maxUrlLength: DEFAULT_MAX_URL_LENGTH,
});
let answerObject: object | undefined;
stack.get('/api/v1/permits/:permit_number/status', (c) => c.json((answerObject ??= JSON.parse(answer.body) as object)));
const stackListener = await serveFetch(stack.fetch, { port: 0, host: '127.0.0.1' });

try {
  const key = await h.key(BENCH_PLAN.name);
  const headers = { 'x-api-key': key };
  const lookupUrl = `${server.url}/api/v1/permits/${PERMIT}/status`;
  const bareUrl = `http://127.0.0.1:${bareListener.port}/hello`;
  const floorUrl = `http://127.0.0.1:${bareListener.port}/floor`;

  // The live plane starts empty: one lookup fetches the permit from the fixture portal.
  const seeded = await fetch(`${lookupUrl}?jurisdiction=ladbs`, { headers });
  const seededBody = (await seeded.json()) as { source?: string };
  if (seeded.status !== 200 || seededBody.source !== 'live') {
    throw new Error(`seed lookup: HTTP ${seeded.status} source=${seededBody.source}`);
  }
  async function assertCached(when: string): Promise<void> {
    const res = await fetch(lookupUrl, { headers });
    const body = (await res.json()) as { source?: string; permit_number?: string };
    if (res.status !== 200 || body.source !== 'cached' || body.permit_number !== PERMIT || !res.headers.get('x-ratelimit-remaining')) {
      throw new Error(`${when}: expected a metered cached 200 for ${PERMIT}, got HTTP ${res.status} source=${body.source}`);
    }
  }
  await assertCached('before timing');
  const cached = await fetch(lookupUrl, { headers });
  answer.body = await cached.text();
  // What the adapter adds itself (length, date, keep-alive) it adds to /same too.
  for (const [name, value] of cached.headers)
    if (!['content-length', 'date', 'connection', 'keep-alive'].includes(name)) answer.headers[name] = value;
  const sameUrl = `http://127.0.0.1:${bareListener.port}/same`;
  const stackUrl = `http://127.0.0.1:${stackListener.port}/api/v1/permits/${PERMIT}/status`;
  const stacked = await fetch(stackUrl);
  if (stacked.status !== 200 || (await stacked.text()) !== answer.body || !stacked.headers.get('x-request-id')) {
    throw new Error(`stack route: HTTP ${stacked.status}`);
  }
  const hello = await fetch(bareUrl);
  if (hello.status !== 200 || (await hello.text()) !== 'Hello Hono!') throw new Error(`bare route: HTTP ${hello.status}`);
  const floor = await fetch(floorUrl);
  if (floor.status !== 200 || ((await floor.json()) as { permit_number?: string }).permit_number !== PERMIT) {
    throw new Error(`floor route: HTTP ${floor.status}`);
  }

  const scenarios = [
    { name: 'bare', label: 'bare Hono GET /hello', url: bareUrl, headers: {} as Record<string, string> },
    { name: 'floor', label: 'bare Hono + 1 permits read', url: floorUrl, headers: {} as Record<string, string> },
    { name: 'same', label: "bare Hono, the lookup's bytes", url: sameUrl, headers: {} as Record<string, string> },
    { name: 'stack', label: "the app's middleware + c.json", url: stackUrl, headers: {} as Record<string, string> },
    { name: 'lookup', label: FAST_PATH ? 'cached GET /status, live key' : 'the same, no fast path', url: lookupUrl, headers },
  ];
  const run = (s: (typeof scenarios)[number], duration: number) =>
    LOADGEN === 'wrk'
      ? wrkLoad(s.label, { url: s.url, connections: CONNECTIONS, duration, headers: s.headers })
      : load(s.label, { url: s.url, connections: CONNECTIONS, duration, workers: AUTOCANNON_WORKERS, headers: s.headers });

  const ratios: Record<string, number[]> = { lookup: [], floor: [], same: [], stack: [] };
  const results = await alternateRounds(
    scenarios,
    { rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, roundSeconds: ROUND_SECONDS, run },
    (round, rps, so) => {
      ratios.lookup!.push(rps.lookup! / rps.bare!);
      ratios.floor!.push(rps.floor! / rps.bare!);
      ratios.same!.push(rps.same! / rps.bare!);
      ratios.stack!.push(rps.stack! / rps.bare!);
      const p99 = so.lookup!.at(-1)!.latency.p99;
      console.log(
        `round ${round + 1}/${ROUNDS}: bare ${rps.bare!.toFixed(0)}  floor ${rps.floor!.toFixed(0)}  same ${rps.same!.toFixed(0)}  stack ${rps.stack!.toFixed(0)}  lookup ${rps.lookup!.toFixed(0)} req/s (p99 ${p99} ms)  lookup/bare ${(rps.lookup! / rps.bare!).toFixed(3)}`,
      );
    },
  );
  await assertCached('after the last round');

  const generator = LOADGEN === 'wrk' ? 'wrk, 1 thread' : `autocannon in ${AUTOCANNON_WORKERS} worker thread`;
  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_SECONDS} s per scenario, ${generator}, medians\n`);
  console.log(`${'scenario'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'÷ bare'.padStart(7)}`);
  for (const s of scenarios) {
    const rs = results[s.name]!;
    const r = ratios[s.name] ? median(ratios[s.name]!).toFixed(3) : '1';
    console.log(
      `${s.label.padEnd(30)} ${median(rs.map((r) => r.requests.average))
        .toFixed(0)
        .padStart(8)} ${median(rs.map((r) => r.latency.p50))
        .toFixed(1)
        .padStart(7)} ${median(rs.map((r) => r.latency.p99))
        .toFixed(1)
        .padStart(7)} ${r.padStart(7)}`,
    );
  }
  console.log('(÷ bare: median of per-round ratios)');
  const ratio = median(ratios.lookup!);
  const p99 = median(results.lookup!.map((r) => r.latency.p99));
  console.log(
    `\nlookup ÷ bare Hono, median of per-round ratios: ${ratio.toFixed(3)}: ${ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} the target ≥ ${TARGET_RATIO}`,
  );
  console.log(
    `lookup p99, median over rounds: ${p99.toFixed(1)} ms: ${p99 < TARGET_P99_MS ? 'meets' : 'MISSES'} the target < ${TARGET_P99_MS} ms`,
  );
} finally {
  await stackListener.close();
  await bareListener.close();
  await usage.close();
  await h.close();
}
