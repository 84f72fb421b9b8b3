/**
 * What every benchmark shares: the median, a plan no benchmark can exhaust, and autocannon's
 * programmatic API with the checks a run must pass before its numbers mean anything. Not a
 * benchmark itself: run-all.ts does not run it. Servers come from test/harness.ts
 * (`startHarness`), the same real server on loopback with libSQL files in a temp dir that the
 * end-to-end tests use, so a benchmark measures exactly what the tests check.
 */
import { createRequire } from 'node:module';
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
