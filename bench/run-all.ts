/**
 * Runs every benchmark, one after another, each in its own child process.
 *
 * What: parse, lookup-cost, batch, metering, lookup, middleware-cost, append, webhooks, webhook-fanout, webhook-fairness, sync-overhead,
 * sync-simulated, feed-ingest, search and rebuild, in that order,
 * each as `node --import tsx bench/<name>.ts` with this process's environment (so
 * `BENCH_EVENTS=100000 npm run bench` gives a quick rebuild), output passed straight through.
 * One at a time on purpose: two benchmarks at once on 2 cores would measure each other.
 * Target: none of its own; each benchmark prints its own targets, medians and ratios.
 * Run: `npm run bench` (by hand, never in `npm test`); a subset: `npm run bench -- lookup append`.
 * The full run takes about 30 minutes on 2 cores, most of it the 1,000,000-event rebuild.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Every benchmark, cheapest first, so a quick failure shows before the long rebuild. */
const BENCHES = [
  'parse',
  'lookup-cost',
  'batch',
  'metering',
  'lookup',
  'middleware-cost',
  'append',
  'webhooks',
  'webhook-fanout',
  'webhook-fairness',
  'sync-overhead',
  'sync-simulated',
  'feed-ingest',
  'search',
  'rebuild',
] as const;

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
  process.exit(2);
}
const chosen = requested.length > 0 ? BENCHES.filter((name) => requested.includes(name)) : BENCHES;
const root = fileURLToPath(new URL('..', import.meta.url));

function run(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { cwd: root, stdio: 'inherit', env: process.env });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results: { name: string; code: number; seconds: number }[] = [];
for (const name of chosen) {
  console.log(`\n=== bench/${name}.ts ===\n`);
  const started = performance.now();
  const code = await run(name);
  results.push({ name, code, seconds: (performance.now() - started) / 1000 });
}
console.log('\n=== summary ===');
for (const r of results)
  console.log(`${r.name.padEnd(10)} ${r.code === 0 ? 'ok    ' : `FAILED (exit ${r.code})`} ${r.seconds.toFixed(0).padStart(5)} s`);
if (results.some((r) => r.code !== 0)) process.exitCode = 1;
