/**
 * Scheduler overhead per unchanged re-check (issue 17).
 *
 * What: a `runOnce` pass of the scheduler over BENCH_PERMITS watched LADBS permits, all due and
 * all unchanged since the previous pass, per check: the claim, the forced live lookup (the
 * adapter's fetch and parse, the content-hash compare, the freshness write), the next-slot and
 * inspection reads and the completion. The portal is an in-memory HttpClient answering each
 * permit's detail page (the real captured page with the permit's number in it) at once, so the
 * network is out of the figure and what is left is the scheduler's and the write path's work.
 * Baseline in the same run: the bare `adapter.parse` of the same pages, one per permit. Rounds
 * alternate the two; the ratio is taken per round and its median printed.
 * Target (issue 17): ratio ≤ 1.3.
 * Run: `node --import tsx bench/sync-overhead.ts` (by hand, never in `npm test`; about a minute).
 */
import pino from 'pino';
import { createPlaneProjector } from '../src/app.ts';
import type { HttpClient } from '../src/http/client.ts';
import { createLookupService } from '../src/ingest/lookup.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createScheduler } from '../src/sync/scheduler.ts';
import { LADBS_FIXTURES, readLadbsFixture } from '../src/testing/ladbs-fixtures.ts';
import { openTempDatabase } from '../test/temp-database.ts';
import { median } from './support.ts';

/** Watched permits per pass: enough that a pass takes seconds, few enough for a short run. */
const PERMITS = Number(process.env.BENCH_PERMITS ?? 1_000);
const ROUNDS = 5;
const CAPTURED = '16041-10000-23545';
const TEMPLATE = readLadbsFixture(LADBS_FIXTURES.finaled);

const numberOf = (i: number) => `16041-10000-${String(30_000 + i).padStart(5, '0')}`;
/** The captured page as PCIS would show it for another permit number: only the number differs. */
const pageOf = (number: string) => TEMPLATE.replaceAll(CAPTURED, number);
const pages = new Map(Array.from({ length: PERMITS }, (_, i) => [numberOf(i), pageOf(numberOf(i))]));

const portal: HttpClient = {
  async fetch(req) {
    const q = new URL(req.url).searchParams;
    const body = pages.get(`${q.get('id1')}-${q.get('id2')}-${q.get('id3')}`) ?? '';
    return { ok: true, response: { status: 200, headers: { 'content-type': 'text/html' }, body, url: req.url } };
  },
  async close() {},
};

const temp = await openTempDatabase('bench-sync');
const { db } = temp;
const catalog = createCatalog();
const log = pino({ level: 'silent' });
const lookup = createLookupService({
  db,
  projector: createPlaneProjector(catalog),
  catalog,
  adapters: ADAPTERS,
  http: portal,
  clock: systemClock,
  log,
  cacheTtlSeconds: 14_400,
  portalOverrides: {},
});
const scheduler = createScheduler({ db, lookup, catalog, clock: systemClock, log, intervalMs: 14_400_000 });

// Watch rows written straight into the watchlist projection's table: a fast bench set-up (the
// write path, one transaction per watch, would take minutes at 100,000); the scheduler reads only this table.
await db.transaction(async (tx) => {
  for (const n of pages.keys()) {
    await tx.run(
      "INSERT INTO watchlist (id, key_id, stream, jurisdiction, permit_number, created_at, updated_at) VALUES (?, 'key_bench', ?, 'ladbs', ?, '', '')",
      [`w_${n}`, `permit/ladbs/${n}`, n],
    );
  }
});
const makeAllDue = () => db.run('UPDATE sync_schedule SET due_at = 0');

async function pass(): Promise<number> {
  await makeAllDue();
  const started = performance.now();
  const summary = await scheduler.runOnce();
  const ms = performance.now() - started;
  if (summary.checked !== PERMITS || summary.failed > 0) throw new Error(`pass checked ${summary.checked}, failed ${summary.failed}`);
  return (ms * 1_000) / PERMITS;
}

const ladbs = catalog.get('ladbs')!;
let sink: unknown;
function bareParse(): number {
  const started = performance.now();
  for (const [n, body] of pages) sink = ADAPTERS.ladbs!.parse(body, { jurisdiction: ladbs, permitNumber: n });
  return ((performance.now() - started) * 1_000) / PERMITS;
}

// First pass: every permit is new (its first observation appends); then warm both paths.
await scheduler.runOnce().then(makeAllDue);
await pass();
bareParse();
const first = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
console.log(`${PERMITS} watched LADBS permits, ${first?.n} events after the first pass; ${ROUNDS} rounds of unchanged re-checks\n`);

const ratios: number[] = [];
const checkUs: number[] = [];
const parseUs: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which goes first, so a machine slowing down mid-round does not favour one side.
  let a: number, b: number;
  if (round % 2) ((a = await pass()), (b = bareParse()));
  else ((b = bareParse()), (a = await pass()));
  checkUs.push(a);
  parseUs.push(b);
  ratios.push(a / b);
  console.log(`round ${round}: re-check ${a.toFixed(0)} µs, bare parse ${b.toFixed(0)} µs, ratio ${(a / b).toFixed(3)}`);
}
const events = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
if (events?.n !== first?.n) throw new Error('an unchanged re-check appended an event');
console.log(`\nmedian: re-check ${median(checkUs).toFixed(0)} µs per permit, bare adapter parse ${median(parseUs).toFixed(0)} µs`);
console.log(`ratio (per-round median): ${median(ratios).toFixed(3)}  target ≤ 1.3  ${median(ratios) <= 1.3 ? 'met' : 'missed'}`);
void sink;
await temp.close();
