/**
 * Cached lookup throughput and memory per runtime (issue 19): `permitwatch serve` under Node
 * (the compiled dist/), Bun and Deno (the TypeScript source) and the single binary
 * (dist/permitwatch, `npm run build:binary` first; skipped if absent), each against bare Hono on
 * the same runtime (bench/bare-hono.ts through the same src/runtime/ adapter; the binary is Bun,
 * so its baseline is Bun's).
 *
 * What: every server is its own process on loopback, started together and kept up for the whole
 * run. Each lookup server has a fresh live database, one key on a plan no run exhausts, and one
 * permit looked up once through the real LADBS adapter from a loopback fixture portal in this
 * process; every timed request is then a metered cached `GET /api/v1/permits/{n}/status`
 * (checked `source: "cached"` before and after). autocannon (one worker thread in this process,
 * 50 connections) drives one server at a time; rounds rotate the order, so a noisy neighbour hits
 * all alike. Per runtime: median req/s of lookup and bare Hono, the median of the per-round
 * ratios, the lookup's median p99, and each server's RSS (/proc/<pid>/status VmRSS) after the
 * last round.
 * Target: none; reported (the issue asks for the figures, lookup against bare Hono per runtime).
 * Run: `node --import tsx bench/runtimes.ts` (BENCH_ROUNDS=3, BENCH_SECONDS=4 by default; by hand,
 * never in `npm test`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { startFixturePortal } from '../src/demo/fixture-portal.ts';
import { BENCH_CONNECTIONS, BENCH_PLAN, load, median, rotate, type AutocannonResult } from './support.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** One untimed run per server first: JIT, prepared statements, connection pools. */
const WARMUP_SECONDS = 2;
/** A server slower than this to start is a failure, not a figure. */
const START_LIMIT_MS = 60_000;
/** A captured LADBS permit the fixture portal serves. */
const PERMIT = '16041-10000-23545';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const BINARY = join(root, 'dist/permitwatch');
const BARE = join(root, 'bench/bare-hono.ts');

interface Way {
  name: string;
  /** The permitwatch CLI on this runtime; `serve` and `keys create` are appended. */
  cli: string[];
  /** bench/bare-hono.ts on the same runtime. */
  bare: string[];
}

const WAYS: Way[] = [
  { name: 'node', cli: [process.execPath, join(root, 'bin/permitwatch.mjs')], bare: [process.execPath, '--import', 'tsx', BARE] },
  { name: 'bun', cli: [bin('bun'), join(root, 'src/main.ts')], bare: [bin('bun'), BARE] },
  { name: 'binary', cli: [BINARY], bare: [bin('bun'), BARE] },
  { name: 'deno', cli: [bin('deno'), 'run', '-A', join(root, 'src/main.ts')], bare: [bin('deno'), 'run', '-A', BARE] },
].filter((w) => w.name !== 'binary' || existsSync(BINARY));

const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Spawns `cmd` and resolves with its pid and the URL it prints ("listening on <url>"). */
function startServer(cmd: string[], env: Record<string, string>): Promise<{ pid: number; url: string }> {
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${cmd.join(' ')} did not start within ${START_LIMIT_MS} ms`)), START_LIMIT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, url });
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd.join(' ')} exited (${code}) before listening`)));
  });
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

async function lookupOnce(url: string, key: string, expected: 'live' | 'cached'): Promise<void> {
  const res = await fetch(`${url}/api/v1/permits/${PERMIT}/status?jurisdiction=ladbs`, { headers: { 'x-api-key': key } });
  const body = (await res.json()) as { source?: string };
  if (res.status !== 200 || body.source !== expected)
    throw new Error(`${url}: expected a ${expected} 200, got HTTP ${res.status} source=${body.source}`);
}

const portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
try {
  interface Running extends Way {
    lookup: { pid: number; url: string };
    baseline: { pid: number; url: string };
    key: string;
  }
  const running: Running[] = [];
  for (const way of WAYS) {
    const dir = mkdtempSync(join(tmpdir(), `permitwatch-runtimes-${way.name}-`));
    dirs.push(dir);
    const env = {
      PORT: '0',
      PERMITWATCH_HOST: '127.0.0.1',
      PERMITWATCH_DATABASE_URL: `file:${join(dir, 'live.db')}`,
      PERMITWATCH_DEMO: 'false',
      PERMITWATCH_SYNC: 'off',
      PERMITWATCH_LOG_LEVEL: 'warn',
      PERMITWATCH_PLANS: JSON.stringify([BENCH_PLAN]),
      PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
      NO_COLOR: '1',
    };
    // The key is made by the same runtime's CLI: its last line is the key.
    const made = spawnSync(way.cli[0]!, [...way.cli.slice(1), 'keys', 'create', '--name', 'bench', '--plan', BENCH_PLAN.name], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`${way.name} keys create: ${made.stderr}`);
    const key = made.stdout.trim().split('\n').pop()!;
    const lookup = await startServer([...way.cli, 'serve'], env);
    const baseline = await startServer(way.bare, {});
    await lookupOnce(lookup.url, key, 'live');
    await lookupOnce(lookup.url, key, 'cached');
    running.push({ ...way, lookup, baseline, key });
  }

  const runLookup = (w: Running, seconds: number) =>
    load(`${w.name} lookup`, {
      url: `${w.lookup.url}/api/v1/permits/${PERMIT}/status`,
      connections: BENCH_CONNECTIONS,
      duration: seconds,
      workers: 1,
      headers: { 'x-api-key': w.key },
    });
  const runBare = (w: Running, seconds: number) =>
    load(`${w.name} bare`, { url: `${w.baseline.url}/hello`, connections: BENCH_CONNECTIONS, duration: seconds, workers: 1 });
  const scenarios = running.flatMap((w) => [
    { name: `${w.name} lookup`, run: (s: number) => runLookup(w, s) },
    { name: `${w.name} bare`, run: (s: number) => runBare(w, s) },
  ]);
  for (const s of scenarios) await s.run(WARMUP_SECONDS);
  const results: Record<string, AutocannonResult[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Each runtime's pair back to back (lookup, then bare), so its ratio is taken within moments.
    for (const w of rotate(running, round)) {
      for (const s of scenarios.filter((x) => x.name.startsWith(`${w.name} `))) results[s.name]!.push(await s.run(ROUND_SECONDS));
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  for (const w of running) await lookupOnce(w.lookup.url, w.key, 'cached');

  console.log(`\n${ROUNDS} rounds of ${ROUND_SECONDS} s, ${BENCH_CONNECTIONS} connections, medians:`);
  console.log('runtime  lookup req/s  bare Hono req/s  ratio (per-round median)  lookup p99  RSS lookup server  RSS bare Hono');
  for (const w of running) {
    const l = results[`${w.name} lookup`]!;
    const b = results[`${w.name} bare`]!;
    const ratio = median(l.map((r, i) => r.requests.average / b[i]!.requests.average));
    const row = [
      w.name.padEnd(9),
      median(l.map((r) => r.requests.average))
        .toFixed(0)
        .padEnd(14),
      median(b.map((r) => r.requests.average))
        .toFixed(0)
        .padEnd(17),
      ratio.toFixed(3).padEnd(26),
      `${median(l.map((r) => r.latency.p99)).toFixed(1)} ms`.padEnd(12),
      `${rssMb(w.lookup.pid).toFixed(1)} MB`.padEnd(19),
      `${rssMb(w.baseline.pid).toFixed(1)} MB`,
    ];
    console.log(row.join(''));
  }
  if (!WAYS.some((w) => w.name === 'binary')) console.log('\n(no dist/permitwatch: run `npm run build:binary` to include the binary)');
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await portal.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
