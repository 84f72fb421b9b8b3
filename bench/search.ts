/**
 * Permit search over a generated city (issue 18: "Search over 1,000,000 permits: p99 < 50 ms for
 * every indexed filter and for FTS, reported per filter").
 *
 * What: the first page (25 rows, the route's default) of `searchPermits`, the very query
 * GET /api/v1/permits/search runs, for each filter on its own (its value drawn at random per
 * query), each sort without a filter, and a second page by cursor, against an embedded libSQL
 * file holding BENCH_PERMITS permits of src/testing/generated-city.ts. Baseline in the same run:
 * a primary-key read of one search row by stream, the cheapest read the model has. QUERIES
 * queries per case, after WARMUP; p50 and p99 in ms, and p99 ÷ the baseline's p99.
 * The city is written through the search projection's own `handle` (what catch-up and rebuild
 * call) in batches of WRITE_BATCH, without the other read models and without the event log: this
 * benchmark measures reads, and the full write path for a million permits would take most of an
 * hour on 2 cores. The writing connection gets a BUILD_CACHE_KIB page cache for the load: with
 * SQLite's default 2 MiB, inserting into indexes led by random values (a ZIP, a date) re-read
 * their pages from the file at every batch (when the indexes ended in the permit's UUID, a
 * million permits took tens of minutes).
 * Each case also prints how its pages were read (searchPermits' driver for the last query).
 * Run: `node --import tsx bench/search.ts` (by hand, never in `npm test`); smaller:
 * `BENCH_PERMITS=100000 node --import tsx bench/search.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/app.ts';
import { PERMIT_OBSERVED, permitStream } from '../src/events/permit-observed.ts';
import { contentHash } from '../src/permits/content-hash.ts';
import { CATEGORIES, STATUS_PHASES } from '../src/permits/record.ts';
import type { ProjectedEvent } from '../src/projections/projection.ts';
import { searchProjection } from '../src/projections/search.ts';
import { searchPermits, searchPlan, type SearchFilters, type SearchSort } from '../src/projections/search-query.ts';
import { generatedCity, seededRandom } from '../src/testing/generated-city.ts';

const PERMITS = Number(process.env.BENCH_PERMITS ?? 1_000_000);
/** Permits generated and handed to `handle` per transaction. */
const WRITE_BATCH = 20_000;
/** The writer's page cache during the load, in KiB (see above); the reader keeps READ_CACHE_KIB. */
const BUILD_CACHE_KIB = 262_144;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const WARMUP = 30;
/** Filter draws per case whose driver is printed. */
const DRIVER_SAMPLES = 20;
const PAGE = 25;

const rng = seededRandom(99);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const day = () => new Date(Date.UTC(2020, 0, 1) + Math.floor(rng() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
const plusDays = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
const WORDS = ['solar', 'reroof', 'kitchen', 'seismic', 'heat', 'deck', 'window', 'adu', 'foundation', 'garage'];
const ZIPS = ['94102', '94103', '94104', '94110', '94114', '94116', '94118', '94121', '94122', '94131'];

const CASES: [string, () => SearchFilters, SearchSort][] = [
  ['no filter, -issued', () => ({}), '-issued'],
  ['no filter, -filed', () => ({}), '-filed'],
  ['no filter, -updated', () => ({}), '-updated'],
  ['jurisdiction', () => ({ jurisdiction: 'socrata:sf' }), '-issued'],
  ['city', () => ({ city: 'San Francisco' }), '-issued'],
  ['state', () => ({ state: 'CA' }), '-issued'],
  ['zip_code', () => ({ zip_code: pick(ZIPS) }), '-issued'],
  ['category', () => ({ category: pick(CATEGORIES) }), '-issued'],
  ['category, -filed', () => ({ category: pick(CATEGORIES) }), '-filed'],
  ['status_phase', () => ({ status_phase: pick(STATUS_PHASES) }), '-issued'],
  [
    'issued window (30 days)',
    () => {
      const d = day();
      return { issued_after: d, issued_before: plusDays(d, 30) };
    },
    '-issued',
  ],
  [
    'filed window (30 days)',
    () => {
      const d = day();
      return { filed_after: d, filed_before: plusDays(d, 30) };
    },
    '-issued',
  ],
  [
    'value range (50k wide)',
    () => {
      const v = Math.floor(rng() * 1_950_000);
      return { min_value: v, max_value: v + 50_000 };
    },
    '-issued',
  ],
  ['q, one word', () => ({ words: [pick(WORDS)] }), '-issued'],
  ['q, two words', () => ({ words: [pick(WORDS), pick(WORDS)] }), '-issued'],
  ['near, 500 m', () => ({ near: { lat: 37.7 + rng() * 0.11, lng: -122.51 + rng() * 0.14, radius_m: 500 } }), '-issued'],
  ['category + zip_code + q', () => ({ category: pick(CATEGORIES), zip_code: pick(ZIPS), words: [pick(WORDS)] }), '-issued'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function timed(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

async function main() {
  // BENCH_DB: a file kept between runs; a city already in it is searched as it is (a million
  // permits take many minutes to write on a loaded machine), and it is never deleted.
  const dir = process.env.BENCH_DB ? undefined : mkdtempSync(join(tmpdir(), 'permitwatch-bench-search-'));
  try {
    const db = await openDatabase(`file:${process.env.BENCH_DB ?? join(dir!, 'search.db')}`);
    await db.exec(`PRAGMA cache_size=-${BUILD_CACHE_KIB}`);
    const started = Date.now();
    const held = (await db.get<{ n: number | null }>('SELECT max(doc) AS n FROM permit_search'))?.n ?? 0;
    if (held > 0 && held !== PERMITS) throw new Error(`BENCH_DB holds ${held} permits, not BENCH_PERMITS=${PERMITS}`);
    for (let done = held; done < PERMITS; done += WRITE_BATCH) {
      const records = generatedCity(Math.min(WRITE_BATCH, PERMITS - done), { seed: done + 1, start: done });
      const events: ProjectedEvent[] = records.map((record, i) => ({
        event: {
          position: done + i + 1,
          stream: permitStream(record.jurisdiction, record.permit_number),
          version: 1,
          type: PERMIT_OBSERVED,
          data: {
            record,
            observed_at: new Date(Date.UTC(2026, 0, 1) + (done + i) * 1000).toISOString(),
            source: 'feed',
            source_url: 'https://bench.invalid/',
            content_hash: contentHash(record),
          },
        },
        prev: null,
        changes: [],
      }));
      await db.transaction((tx) => searchProjection.handle(events, tx));
    }
    await db.exec('ANALYZE');
    console.log(
      `search: ${PERMITS.toLocaleString('en-US')} permits ${held > 0 ? 'held already in BENCH_DB' : 'written through the search projection'}, ${((Date.now() - started) / 1000).toFixed(1)} s with ANALYZE`,
    );

    const streams = Array.from({ length: 1000 }, () =>
      permitStream('socrata:sf', `G${String(Math.floor(rng() * PERMITS)).padStart(9, '0')}`),
    );
    const baseline = await timed(() => db.get('SELECT * FROM permit_search WHERE stream = ?', [pick(streams)]));
    console.log(`baseline (one row by primary key): p50 ${baseline.p50.toFixed(3)} ms, p99 ${baseline.p99.toFixed(3)} ms`);
    console.log('case | p50 ms | p99 ms | p99 / baseline p99 | p99 < 50 ms | read by');
    const run = async (name: string, filters: () => SearchFilters, sort: SearchSort, second = false) => {
      const r = await timed(async () => {
        const f = filters();
        const first = await searchPermits(db, f, sort, undefined, PAGE);
        if (second && first.length === PAGE) {
          const last = first[first.length - 1]!;
          await searchPermits(db, f, sort, { key: last.sort_key, doc: last.doc }, PAGE);
        }
      });
      // How the pages were read, over fresh draws of the case's filters (untimed).
      const drivers = new Map<string, number>();
      for (let i = 0; i < DRIVER_SAMPLES; i++) {
        const { driver: d } = await searchPlan(db, filters(), sort);
        const by = d.by === 'range' ? `range ${d.range}` : d.by === 'sort' && d.probe ? 'sort, probing q' : d.by;
        drivers.set(by, (drivers.get(by) ?? 0) + 1);
      }
      const read = [...drivers].map(([by, n]) => `${by} ${n}/${DRIVER_SAMPLES}`).join(', ');
      console.log(
        `${name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.p99 / baseline.p99).toFixed(1)} | ${r.p99 < 50 ? 'met' : 'MISSED'} | ${read}`,
      );
    };
    for (const [name, filters, sort] of CASES) await run(name, filters, sort);
    await run('category, first and second page', () => ({ category: pick(CATEGORIES) }), '-issued', true);
    db.close();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
