/**
 * Feed ingest (issue 18): permits per second through a whole feed run.
 *
 * What: `feeds.run` of the Chicago feed over BENCH_FEED_ROWS new rows (derived from the real
 * Chicago row, fixtures/socrata/routes.ts) into an empty database: the Socrata adapter's
 * JSON parse and row mapping, the content-hash compare, the append, every projection and the
 * webhook outbox (no subscription), and the cursor, page by page in transactions. The portal is
 * an in-memory HttpClient answering the feed's pages at once (SODA's 1,000 rows a page), so the
 * network is out of the figure. Baseline in the same run: the raw libSQL insert of the same rows
 * (each row's JSON into a two-column table, 1,000 rows a transaction, through the same Db handle).
 * Rounds alternate the two on fresh databases; medians and the per-round ratio are printed.
 * Target (issue 18): ≥ 5,000 permits/s ingested.
 * Run: `node --import tsx bench/feed-ingest.ts` (by hand, never in `npm test`; under a minute).
 */
import pino from 'pino';
import { chicagoFeedRows } from '../fixtures/socrata/routes.ts';
import { createPlaneProjector } from '../src/app.ts';
import type { HttpClient } from '../src/http/client.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createFeeds } from '../src/sync/feeds.ts';
import { openTempDatabase } from '../test/temp-database.ts';
import { median } from './support.ts';

const ROWS = Number(process.env.BENCH_FEED_ROWS ?? 5_000);
const ROUNDS = 5;
const PAGE = 1_000;
const TARGET = 5_000;
const SLUG = 'socrata:chicago';

const rows = chicagoFeedRows(ROWS);
const rowJson = rows.map((r) => JSON.stringify(r));
const pages = new Map<number, string>();
for (let offset = 0; offset <= ROWS; offset += PAGE) pages.set(offset, JSON.stringify(rows.slice(offset, offset + PAGE)));

const portal: HttpClient = {
  async fetch(req) {
    const body = pages.get(Number(new URL(req.url).searchParams.get('$offset'))) ?? '[]';
    return { ok: true, response: { status: 200, headers: { 'content-type': 'application/json' }, body, url: req.url } };
  },
  async close() {},
};
const catalog = createCatalog();

/** Permits per second of one feed run into a fresh database. */
async function ingest(): Promise<number> {
  const temp = await openTempDatabase('bench-feed');
  try {
    const feeds = createFeeds({
      db: temp.db,
      projector: createPlaneProjector(catalog),
      catalog,
      adapters: ADAPTERS,
      http: portal,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      baseUrlFor: (j) => j.base_url,
      feeds: [SLUG],
      intervalMs: 900_000,
      backfillDays: 30,
    });
    const started = performance.now();
    const run = await feeds.run(SLUG);
    const s = (performance.now() - started) / 1000;
    if (!run.ok || run.appended !== ROWS) throw new Error(`feed run: ${JSON.stringify(run)}`);
    return ROWS / s;
  } finally {
    await temp.close();
  }
}

/** Rows per second of the bare libSQL insert of the same rows into a fresh database. */
async function rawInsert(): Promise<number> {
  const temp = await openTempDatabase('bench-feed-raw');
  try {
    await temp.db.run('CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
    const started = performance.now();
    for (let i = 0; i < ROWS; i += PAGE) {
      await temp.db.transaction(async (tx) => {
        for (const json of rowJson.slice(i, i + PAGE)) await tx.run('INSERT INTO raw_rows (data) VALUES (?)', [json]);
      });
    }
    return ROWS / ((performance.now() - started) / 1000);
  } finally {
    await temp.close();
  }
}

await ingest(); // warm both paths
await rawInsert();
console.log(`${ROWS} new Chicago feed rows, ${PAGE} a page; ${ROUNDS} rounds, each on fresh databases\n`);
const feedRates: number[] = [];
const rawRates: number[] = [];
const ratios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  let a: number, b: number;
  if (round % 2) ((a = await ingest()), (b = await rawInsert()));
  else ((b = await rawInsert()), (a = await ingest()));
  feedRates.push(a);
  rawRates.push(b);
  ratios.push(a / b);
  console.log(`round ${round}: feed ingest ${a.toFixed(0)} permits/s, raw insert ${b.toFixed(0)} rows/s, ratio ${(a / b).toFixed(3)}`);
}
const m = median(feedRates);
console.log(`\nmedian: feed ingest ${m.toFixed(0)} permits/s, raw libSQL insert ${median(rawRates).toFixed(0)} rows/s`);
console.log(`ratio ingest / raw insert (per-round median): ${median(ratios).toFixed(3)}`);
console.log(`target ≥ ${TARGET} permits/s: ${m >= TARGET ? 'met' : 'missed'}`);
