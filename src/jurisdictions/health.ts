import type { Queryable } from '../db/db.ts';
import type { HttpHealth } from '../http/client.ts';
import { unknownStatusReports } from './unknown-statuses.ts';

/**
 * One jurisdiction's health: its portal host's fetch record and circuit (this process, since
 * start-up) and, from the permits projection, the share of permits whose status the adapter
 * could not map — the first sign that a portal changed its wording or markup — with how many
 * permits that is and the raw statuses they show most (unknown-statuses.ts), so an operator can
 * extend the vocabulary.
 */
export async function jurisdictionHealth(db: Queryable, http: HttpHealth, slug: string, host: string) {
  const stats = http.stats(host);
  const row = await db.get<{ n: number; unknown: number | null }>(
    `SELECT COUNT(*) AS n, SUM(CASE WHEN status_phase = 'unknown' THEN 1 ELSE 0 END) AS unknown FROM permits WHERE jurisdiction = ?`,
    [slug],
  );
  const n = row?.n ?? 0;
  const unknown = (await unknownStatusReports(db, slug)).get(slug) ?? { permits: 0, top: [] };
  return {
    slug,
    host,
    last_success_at: stats.last_success_at,
    requests: stats.requests,
    errors: stats.errors,
    error_rate: stats.requests === 0 ? null : Math.round((stats.errors / stats.requests) * 10_000) / 10_000,
    median_fetch_ms: stats.median_fetch_ms,
    unknown_status_share: n === 0 ? null : Math.round(((row?.unknown ?? 0) / n) * 10_000) / 10_000,
    permits_observed: n,
    unknown_status_permits: unknown.permits,
    unknown_statuses: unknown.top,
    breaker: http.breakerState(host),
  };
}
