/**
 * How many recent fetch durations a host keeps for its median: enough that one slow page barely
 * moves it, few enough that it follows a portal getting slower within an afternoon of syncing.
 */
export const FETCH_DURATION_SAMPLES = 100;

/** One host's fetch record, as a health endpoint reports it. */
export interface HostStatsSnapshot {
  /** Attempts sent to the host, retries included: what the portal saw from us. */
  requests: number;
  /** Attempts that ended without a usable answer (5xx, 429, timeout, network error, over the size cap). */
  errors: number;
  /** ISO 8601 time of the last usable answer; null if there has been none. */
  last_success_at: string | null;
  /** Median duration of the last FETCH_DURATION_SAMPLES usable answers; null before the first. */
  median_fetch_ms: number | null;
}

export interface HostStats {
  record(attempt: { ok: boolean; at: number; durationMs: number }): void;
  snapshot(): HostStatsSnapshot;
}

/** The median of `values` (mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Counters and a bounded ring of durations for one host. Durations are kept for usable answers only. */
export function createHostStats(samples = FETCH_DURATION_SAMPLES): HostStats {
  let requests = 0;
  let errors = 0;
  let lastSuccessAt: number | undefined;
  const durations: number[] = [];
  let nextSlot = 0;

  return {
    record({ ok, at, durationMs }) {
      requests += 1;
      if (!ok) {
        errors += 1;
        return;
      }
      lastSuccessAt = at;
      durations[nextSlot] = durationMs;
      nextSlot = (nextSlot + 1) % samples;
    },
    snapshot() {
      return {
        requests,
        errors,
        last_success_at: lastSuccessAt === undefined ? null : new Date(lastSuccessAt).toISOString(),
        median_fetch_ms: median(durations) ?? null,
      };
    },
  };
}
