/**
 * The cost of metering on a cached lookup.
 *
 * What: throughput of a cached `GET /api/v1/permits/16041-10000-23545/status` under autocannon
 * (50 connections), one server, three callers in alternating rounds:
 *   (a) sandbox key `sk_test_`: auth on, limits and quota metering off (the baseline);
 *   (b) live key on a plan whose limits never refuse: auth + burst + monthly quota counters;
 *   (c) anonymous demo caller with a cap it never reaches: the rolling 24-hour demo counter.
 * Usage counting (in memory, flushed every second) is on in all three.
 * Target (issue): metering may cost at most 15 % of the lookup's own throughput: (b)/(a) ≥ 0.85.
 * Run: `node --import tsx bench/metering.ts` (by hand, never in `npm test`).
 *
 * Sandbox and anonymous callers read the demo plane, which the demo seed loads with
 * 16041-10000-23545; the live plane gets the same permit through the real adapter from the
 * loopback fixture portal. Every scenario is checked to answer `source: cached` before it is timed.
 */
import { startHarness } from '../test/harness.ts';
import { alternateRounds, BENCH_CONNECTIONS as CONNECTIONS, BENCH_PLAN, load, median } from './support.ts';

/** Alternating rounds per scenario; the median absorbs a noisy 2-core machine's outliers. */
const ROUNDS = 7;
/** Seconds per autocannon run: long enough for steady state, short enough for 3 × ROUNDS runs. */
const ROUND_SECONDS = 4;
/** One untimed run per scenario first: JIT, prepared statements, connection pools. */
const WARMUP_SECONDS = 2;
/** The issue's bar: metering may take at most 15 % of the lookup's throughput. */
const TARGET_RATIO = 0.85;
/** A demo permit (the demo seed loads it), also looked up once into the live plane. */
const PERMIT = '16041-10000-23545';

const h = await startHarness({ demo: true, env: { plans: [BENCH_PLAN], demo_daily_cap: 1_000_000_000 } });
const server = h.server;

try {
  const sandbox = await h.key(BENCH_PLAN.name, { sandbox: true });
  const live = await h.key(BENCH_PLAN.name);
  const url = `${server.url}/api/v1/permits/${PERMIT}/status`;

  // The live plane has no demo seed: one lookup fetches the permit from the fixture portal.
  const seeded = await fetch(`${url}?jurisdiction=ladbs`, { headers: { 'x-api-key': live } });
  if (seeded.status !== 200) throw new Error(`live seed lookup: HTTP ${seeded.status} ${await seeded.text()}`);

  const scenarios: { name: string; label: string; headers: Record<string, string>; proof: string }[] = [
    { name: 'a', label: '(a) sandbox key, metering off', headers: { 'x-api-key': sandbox }, proof: 'x-sandbox-mode' },
    { name: 'b', label: '(b) live key, metering on', headers: { 'x-api-key': live }, proof: 'x-ratelimit-remaining' },
    { name: 'c', label: '(c) anonymous demo, demo cap on', headers: {}, proof: 'x-demo-mode' },
  ];
  for (const s of scenarios) {
    const res = await fetch(url, { headers: s.headers });
    const body = (await res.json()) as { source?: string };
    if (res.status !== 200 || body.source !== 'cached' || !res.headers.get(s.proof)) {
      throw new Error(`${s.label}: expected a cached 200 with ${s.proof}, got HTTP ${res.status} source=${body.source}`);
    }
  }

  const run = (s: (typeof scenarios)[number], duration: number) => load(s.label, { url, connections: CONNECTIONS, duration, headers: s.headers });

  const ratiosBA: number[] = [];
  const results = await alternateRounds(scenarios, { rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, roundSeconds: ROUND_SECONDS, run }, (round, rps) => {
    ratiosBA.push(rps.b! / rps.a!);
    console.log(`round ${round + 1}/${ROUNDS}: ${scenarios.map((s) => `${s.name} ${rps[s.name]!.toFixed(0)} req/s`).join('  ')}  b/a ${(rps.b! / rps.a!).toFixed(3)}`);
  });

  const baseline = median(results.a!.map((r) => r.requests.average));
  console.log(`\ncached GET /status, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_SECONDS} s per scenario, medians\n`);
  console.log(`${'scenario'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'÷ (a)'.padStart(6)}`);
  for (const s of scenarios) {
    const rs = results[s.name]!;
    const rps = median(rs.map((r) => r.requests.average));
    console.log(
      `${s.label.padEnd(34)} ${rps.toFixed(0).padStart(8)} ${median(rs.map((r) => r.latency.p50)).toFixed(1).padStart(7)} ${median(rs.map((r) => r.latency.p99)).toFixed(1).padStart(7)} ${(rps / baseline).toFixed(3).padStart(6)}`,
    );
  }
  const ratio = median(ratiosBA);
  console.log(`\n(b)/(a), median of per-round ratios: ${ratio.toFixed(3)}: ${ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} the target ≥ ${TARGET_RATIO}`);
} finally {
  await h.close();
}
