/**
 * A simulated watchlist of 100,000 permits over 16 jurisdictions (issue 17).
 *
 * What: two scheduler workers (sharing one database file) run for one interval plus ten minutes of
 * simulated time on a manual clock. Each jurisdiction is its own portal host at 1 request/s and 2
 * at once, LADBS's catalog politeness; a check goes through the real host queue (the rate gate and
 * concurrency the HTTP client uses) to a fake portal that answers after 200-1,500 ms of simulated
 * latency. Printed, not asserted: whether every permit was checked within its interval (how late
 * checks came after their slot), whether any host went over its budget (the most requests that
 * started within any one second), and the real time and database work the simulation cost.
 * Baseline in the same run: the budget itself (requests/s per host) and the interval.
 * Target (issue 17): every permit checked within its interval, no host above its budget.
 * Run: `node --import tsx bench/sync-simulated.ts` (by hand; BENCH_PERMITS=20000 for a quick run;
 * about 2-4 minutes at 100,000 on 2 cores).
 */
import pino from 'pino';
import { createHostQueues } from '../src/http/host-queue.ts';
import type { LookupInput, LookupResult } from '../src/ingest/lookup.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import type { Jurisdiction } from '../src/jurisdictions/jurisdiction.ts';
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { createManualClock } from '../src/lib/manual-clock.ts';
import { createScheduler } from '../src/sync/scheduler.ts';
import { nextSlot } from '../src/sync/slots.ts';
import { openTempDatabase } from '../test/temp-database.ts';
import { median } from './support.ts';

const PERMITS = Number(process.env.BENCH_PERMITS ?? 100_000);
const JURISDICTIONS = 16;
const INTERVAL_MS = 4 * 3_600_000;
/** Simulated time run: one interval, plus room for the last slots' checks to finish. */
const RUN_MS = INTERVAL_MS + 10 * 60_000;
/** Clock advanced per step; sleepers inside a step still wake at their own instants. */
const STEP_MS = 10_000;
/** A slower tick than the default: fewer reconciles of 100,000 watches in a long simulation. */
const TICK_MS = 60_000;
const LATENCY_MIN_MS = 200;
const LATENCY_SPREAD_MS = 1_300;
const POLITENESS = LADBS_JURISDICTION.politeness;

const jurisdictions: Jurisdiction[] = Array.from({ length: JURISDICTIONS }, (_, i) => ({
  ...LADBS_JURISDICTION,
  slug: `sim-${String(i + 1).padStart(2, '0')}`,
  display_name: `Simulated ${i + 1}`,
  base_url: `https://sim-${i + 1}.portal.example`,
  auto_detect: false,
}));
const catalog = createCatalog(jurisdictions);
const START = Date.UTC(2026, 11, 7);
const clock = createManualClock(START);
const queues = createHostQueues({ clock });
/** Deterministic latencies (a linear congruential generator), so runs compare. */
let seed = 42;
const latency = () => LATENCY_MIN_MS + ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * LATENCY_SPREAD_MS;

const starts = new Map<string, number[]>();
const checks: { stream: string; at: number }[] = [];

function fakeLookup() {
  return {
    baseUrlFor: (j: Jurisdiction) => j.base_url,
    async lookup(input: LookupInput): Promise<LookupResult> {
      const j = catalog.get(input.jurisdiction!)!;
      const host = new URL(j.base_url).host;
      checks.push({ stream: `permit/${j.slug}/${input.permitNumber}`, at: clock.now() });
      const out = await queues.run(host, j.politeness, async () => {
        starts.get(host)?.push(clock.now()) ?? starts.set(host, [clock.now()]);
        await clock.sleep(latency());
      });
      if (!out.ok)
        return {
          ok: false,
          reason: 'jurisdiction_unavailable',
          jurisdiction: j,
          retry_after_seconds: 1,
          cause: 'queue_full',
          message: out.message,
        };
      return { ok: true, source: 'live', changed: false, jurisdiction: j, age_seconds: 0, row: {} as never };
    },
  };
}

const temp = await openTempDatabase('bench-sim');
const { db } = temp;
// Watch rows written straight into the watchlist projection's table: a fast bench set-up (the
// write path, one transaction per watch, would take minutes at 100,000); the scheduler reads only this table.
await db.transaction(async (tx) => {
  for (let i = 0; i < PERMITS; i++) {
    const j = jurisdictions[i % JURISDICTIONS]!;
    const n = `26014-10000-${String(i).padStart(6, '0')}`;
    await tx.run(
      "INSERT INTO watchlist (id, key_id, stream, jurisdiction, permit_number, created_at, updated_at) VALUES (?, 'key_sim', ?, ?, ?, '', '')",
      [`w_${i}`, `permit/${j.slug}/${n}`, j.slug, n],
    );
  }
});

const workers = ['sim_a', 'sim_b'].map((workerId) =>
  createScheduler({
    db,
    lookup: fakeLookup(),
    catalog,
    clock,
    log: pino({ level: 'silent' }),
    intervalMs: INTERVAL_MS,
    tickMs: TICK_MS,
    workerId,
  }),
);
const wallStarted = performance.now();
const cpuStarted = process.cpuUsage();
for (const w of workers) w.start();
for (let t = 0; t < RUN_MS; t += STEP_MS) await clock.advance(STEP_MS);
for (const w of workers) void w.stop();
await clock.advance(60_000); // lets the checks in flight finish so stop() returns
const wallS = (performance.now() - wallStarted) / 1_000;
const cpu = process.cpuUsage(cpuStarted);

// Within its interval: each permit's first slot after START is within one interval; was it checked, and how late?
const firstCheck = new Map<string, number>();
for (const c of checks) if (!firstCheck.has(c.stream)) firstCheck.set(c.stream, c.at);
const lateness: number[] = [];
let missed = 0;
for (let i = 0; i < PERMITS; i++) {
  const j = jurisdictions[i % JURISDICTIONS]!;
  const stream = `permit/${j.slug}/26014-10000-${String(i).padStart(6, '0')}`;
  const slot = nextSlot(stream, START, INTERVAL_MS);
  const at = firstCheck.get(stream);
  if (at === undefined || at > slot + INTERVAL_MS) missed++;
  else lateness.push(at - slot);
}
lateness.sort((a, b) => a - b);
const p = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))] ?? NaN;

/** The most requests that started within any one second at a host. */
function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 1_000) i++;
    peak = Math.max(peak, j - i + 1);
  }
  return peak;
}
const peaks = [...starts.values()].map(peakPerSecond);
const perHost = [...starts.values()].map((t) => t.length);
const twice = checks.length - firstCheck.size;

console.log(
  `${PERMITS} watched permits over ${JURISDICTIONS} hosts (${PERMITS / JURISDICTIONS} each), interval ${INTERVAL_MS / 3_600_000} h,`,
);
console.log(
  `budget ${POLITENESS.requests_per_second} request/s and ${POLITENESS.concurrency} at once per host, portal latency ${LATENCY_MIN_MS}-${LATENCY_MIN_MS + LATENCY_SPREAD_MS} ms, 2 workers\n`,
);
console.log(`checked within the interval: ${PERMITS - missed} of ${PERMITS} (missed ${missed})`);
console.log(
  `lateness after the slot: median ${(median(lateness) / 1_000).toFixed(1)} s, p99 ${(p(0.99) / 1_000).toFixed(1)} s, max ${(p(1) / 1_000).toFixed(1)} s`,
);
console.log(
  `checks per host: ${Math.min(...perHost)}-${Math.max(...perHost)}; second checks in the run (slots after the first interval): ${twice}`,
);
console.log(
  `peak requests started in any one second, per host: max ${Math.max(...peaks)} (budget ${POLITENESS.requests_per_second})  ${Math.max(...peaks) <= POLITENESS.requests_per_second ? 'within budget' : 'OVER BUDGET'}`,
);
console.log(
  `simulation cost: ${wallS.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${((cpu.user + cpu.system) / checks.length).toFixed(0)} µs CPU per check (scheduler, database and the simulation itself)`,
);
await temp.close();
