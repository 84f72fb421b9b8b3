/**
 * Adapter parse overhead, per platform page.
 *
 * What: the median time of `adapter.parse(body)` on every captured fixture page (LADBS PCIS
 * detail and Accela CapDetail: HTML; Socrata and ArcGIS: JSON), against the bare parse of the
 * same body in the same run: linkedom `parseHTML` for HTML, `JSON.parse` for JSON. The ratio is
 * the adapter's own cost (querying, normalising, zod) on top of the parse it cannot avoid.
 * Target (issue): reported, not gated; a ratio that jumps between runs is a parser regression.
 * Run: `node --import tsx bench/parse.ts` (by hand, never in `npm test`).
 */
import { parseHTML } from 'linkedom';
import { ACCELA_FIXTURES, readAccelaFixture } from '../src/testing/accela-fixtures.ts';
import { ADAPTERS } from '../src/jurisdictions/adapters.ts';
import { ARCGIS_FIXTURES, readArcgisFixture } from '../src/testing/arcgis-fixtures.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { LADBS_FIXTURES, readLadbsFixture } from '../src/testing/ladbs-fixtures.ts';
import { readSocrataFixture, SOCRATA_FIXTURES } from '../src/testing/socrata-fixtures.ts';
import { median } from './support.ts';

/** Rounds per page; the median over rounds absorbs a noisy 2-core machine's outliers. */
const ROUNDS = 7;
/** Calls per timed batch are sized so one batch takes about this long. */
const BATCH_TARGET_MS = 60;
/** Bounds on calls per batch: enough to average timer noise, few enough to finish quickly. */
const MIN_CALLS = 5;
const MAX_CALLS = 5_000;
/** Untimed calls first, so the JIT has compiled both paths before anything is measured. */
const WARMUP_CALLS = 30;

type Page = { platform: string; jurisdiction: string; permitNumber: string; file: string; body: string; kind: 'html' | 'json' };

/** Every captured detail page / query answer that holds a permit, with the jurisdiction it came from. */
const PAGES: Page[] = [
  ...[
    [LADBS_FIXTURES.finaled, '16041-10000-23545'],
    [LADBS_FIXTURES.corrections, '26014-10000-00017'],
    [LADBS_FIXTURES.preInspection, '26030-10000-01235'],
  ].map(([file, n]) => ({ platform: 'ladbs', jurisdiction: 'ladbs', permitNumber: n!, file: file!, body: readLadbsFixture(file!), kind: 'html' as const })),
  ...[
    [ACCELA_FIXTURES.hcflComplete, 'aca:hcfl', 'HC-BTR-26-0338191'],
    [ACCELA_FIXTURES.osceolaIssued, 'aca:osceola', 'A26-006405'],
    [ACCELA_FIXTURES.osceolaSubmitted, 'aca:osceola', 'A26-006408'],
  ].map(([file, j, n]) => ({ platform: 'accela', jurisdiction: j!, permitNumber: n!, file: file!, body: readAccelaFixture(file!), kind: 'html' as const })),
  ...[
    [SOCRATA_FIXTURES.chicago, 'socrata:chicago', '100858762'],
    [SOCRATA_FIXTURES.sf, 'socrata:sf', '202603238106'],
    [SOCRATA_FIXTURES.la, 'socrata:la', '22010-20000-03007'],
    [SOCRATA_FIXTURES.austin, 'socrata:austin', '2009-074412 EP'],
  ].map(([file, j, n]) => ({ platform: 'socrata', jurisdiction: j!, permitNumber: n!, file: file!, body: readSocrataFixture(file!), kind: 'json' as const })),
  ...[
    [ARCGIS_FIXTURES.bellinghamPermit, 'arcgis:bellingham', 'BLD2024-0412'],
    [ARCGIS_FIXTURES.jacksonCountyPermit, 'arcgis:jackson-county', '439-BLD2024-00871'],
    [ARCGIS_FIXTURES.eloyPermit, 'arcgis:eloy', '24117'],
  ].map(([file, j, n]) => ({ platform: 'arcgis', jurisdiction: j!, permitNumber: n!, file: file!, body: readArcgisFixture(file!), kind: 'json' as const })),
];


/** Mean µs per call over `calls` calls. The result is kept so the work cannot be optimised away. */
let sink: unknown;
function timeCalls(fn: () => unknown, calls: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink = fn();
  return Number(process.hrtime.bigint() - started) / 1_000 / calls;
}

const catalog = createCatalog();
const rows: { page: Page; bareUs: number; adapterUs: number; ratio: number }[] = [];

for (const page of PAGES) {
  const adapter = ADAPTERS[page.platform]!;
  const jurisdiction = catalog.get(page.jurisdiction)!;
  const bare = page.kind === 'html' ? () => parseHTML(page.body).document : () => JSON.parse(page.body) as unknown;
  const parse = () => adapter.parse(page.body, { jurisdiction, permitNumber: page.permitNumber });
  const first = parse();
  if (!first.found) throw new Error(`${page.file}: the ${page.platform} adapter found no permit; the benchmark would time a miss`);
  for (let i = 0; i < WARMUP_CALLS; i++) sink = [bare(), parse()];
  const perCall = Math.max(timeCalls(parse, MIN_CALLS), timeCalls(bare, MIN_CALLS));
  const calls = Math.min(MAX_CALLS, Math.max(MIN_CALLS, Math.round((BATCH_TARGET_MS * 1_000) / perCall)));
  const bareRounds: number[] = [];
  const adapterRounds: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a slow patch of the machine does not always land on one side.
    let bareUs: number;
    let adapterUs: number;
    if (round % 2 === 0) {
      bareUs = timeCalls(bare, calls);
      adapterUs = timeCalls(parse, calls);
    } else {
      adapterUs = timeCalls(parse, calls);
      bareUs = timeCalls(bare, calls);
    }
    bareRounds.push(bareUs);
    adapterRounds.push(adapterUs);
    ratios.push(adapterUs / bareUs);
  }
  rows.push({ page, bareUs: median(bareRounds), adapterUs: median(adapterRounds), ratio: median(ratios) });
  process.stdout.write('.');
}
process.stdout.write('\n');

const fmt = (us: number) => (us >= 100 ? us.toFixed(0) : us.toFixed(1)).padStart(8);
console.log(`adapter.parse vs bare parse of the same body: median µs per call over ${ROUNDS} rounds (ratio: median of per-round ratios)\n`);
console.log(`${'platform'.padEnd(8)} ${'page'.padEnd(56)} ${'KB'.padStart(5)} ${'bare'.padEnd(10)} ${'bare µs'.padStart(8)} ${'adapter µs'.padStart(10)} ${'ratio'.padStart(6)}`);
for (const { page, bareUs, adapterUs, ratio } of rows) {
  const baseline = page.kind === 'html' ? 'parseHTML' : 'JSON.parse';
  const kb = (Buffer.byteLength(page.body) / 1024).toFixed(0).padStart(5);
  console.log(`${page.platform.padEnd(8)} ${page.file.padEnd(56)} ${kb} ${baseline.padEnd(10)} ${fmt(bareUs)} ${fmt(adapterUs).padStart(10)} ${ratio.toFixed(2).padStart(6)}`);
}
console.log('\nper platform (median over its pages):');
for (const platform of [...new Set(rows.map((r) => r.page.platform))]) {
  const mine = rows.filter((r) => r.page.platform === platform);
  console.log(
    `  ${platform.padEnd(8)} bare ${fmt(median(mine.map((r) => r.bareUs)))} µs  adapter ${fmt(median(mine.map((r) => r.adapterUs)))} µs  ratio ${median(mine.map((r) => r.ratio)).toFixed(2)}`,
  );
}
void sink;
