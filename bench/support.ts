/**
 * What every benchmark shares: the median, a plan no benchmark can exhaust, and autocannon's
 * programmatic API with the checks a run must pass before its numbers mean anything. Not a
 * benchmark itself: run-all.ts does not run it. Servers come from test/harness.ts
 * (`startHarness`), the same real server on loopback with libSQL files in a temp dir that the
 * end-to-end tests use, so a benchmark measures exactly what the tests check.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Plan } from '../src/accounts/plans.ts';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A plan whose limits a benchmark cannot reach: every counter is still read and written. */
export const BENCH_PLAN: Plan = { name: 'bench', monthly_limit: 1_000_000_000, burst_per_minute: 1_000_000_000, force_refresh: true };

/** The core issue's cached-lookup benchmark load. */
export const BENCH_CONNECTIONS = 50;

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  headers?: Record<string, string>;
}
// autocannon ships no type declarations; this is the slice of its programmatic API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

/** One autocannon run; any non-2xx, error or timeout fails the benchmark rather than skew it. */
export async function load(label: string, options: AutocannonOptions): Promise<AutocannonResult> {
  const result = await autocannon(options);
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result;
}

/** wrk's threads: one, so on 2 cores the server under test keeps the other core to itself. */
const WRK_THREADS = 1;
/** Extra seconds wrk may take past its duration (start-up, final report) before the run fails. */
const WRK_GRACE_SECONDS = 30;

/** Whether `wrk` is on PATH (Debian's package: `apt-get install wrk`). */
export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/** A wrk duration figure (`812.00us`, `1.23ms`, `2.00s`) in milliseconds. */
export function wrkMs(figure: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(figure.trim());
  if (!m) throw new Error(`wrk: unreadable latency "${figure}"`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
}

/** The figures of one wrk run's report (`--latency`), in the shape `load` returns. */
export function parseWrk(report: string): AutocannonResult {
  const number = (re: RegExp) => {
    const m = re.exec(report);
    if (!m) throw new Error(`wrk: no ${re} in its report:\n${report}`);
    return m;
  };
  const total = Number(number(/(\d+) requests in /)[1]);
  const average = Number(number(/Requests\/sec:\s+([\d.]+)/)[1]);
  const nonOk = Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const errors = socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0;
  return {
    requests: { average, total },
    latency: {
      p50: wrkMs(number(/^\s+50%\s+(\S+)/m)[1]!),
      p99: wrkMs(number(/^\s+99%\s+(\S+)/m)[1]!),
      average: wrkMs(number(/^\s+Latency\s+(\S+)/m)[1]!),
    },
    '2xx': total - nonOk,
    non2xx: nonOk,
    errors,
    timeouts: socket ? Number(socket[4]) : 0,
  };
}

/**
 * One wrk run (a separate C process, one thread): for loads above what autocannon can generate
 * on 2 cores (about 25k req/s, where bare Hono answers). Any non-2xx, socket error or timeout
 * fails the benchmark rather than skew it, as with `load`.
 */
export async function wrkLoad(label: string, options: Omit<AutocannonOptions, 'workers'>): Promise<AutocannonResult> {
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t', String(WRK_THREADS), '-c', String(options.connections), '-d', `${options.duration}s`, '--latency', ...headerArgs, options.url];
  const { stdout } = await promisify(execFile)('wrk', args, { timeout: (options.duration + WRK_GRACE_SECONDS) * 1000 });
  const result = parseWrk(stdout);
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} socket errors, ${result.timeouts} timeouts`);
  }
  return result;
}

/** The order of round `round`: rotated, so no scenario always runs first or after the same one. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  return items.map((_, i) => items[(i + round) % items.length]!);
}

/**
 * Warm-up runs, then `rounds` rounds of every scenario in rotated order; returns each scenario's
 * results in round order. Per-round figures let ratios be taken within a round, where the
 * machine's drift cancels.
 */
export async function alternateRounds<S extends { name: string }>(
  scenarios: readonly S[],
  options: { rounds: number; warmupSeconds: number; roundSeconds: number; run: (s: S, seconds: number) => Promise<AutocannonResult> },
  onRound?: (round: number, rps: Record<string, number>, results: Record<string, AutocannonResult[]>) => void,
): Promise<Record<string, AutocannonResult[]>> {
  for (const s of scenarios) await options.run(s, options.warmupSeconds);
  const results: Record<string, AutocannonResult[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const rps: Record<string, number> = {};
    for (const s of rotate(scenarios, round)) {
      const r = await options.run(s, options.roundSeconds);
      results[s.name]!.push(r);
      rps[s.name] = r.requests.average;
    }
    onRound?.(round, rps, results);
  }
  return results;
}
