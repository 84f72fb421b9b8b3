import { Counter, Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { CheckKind } from '../sync/recheck.ts';

export interface SyncMetrics {
  /** One finished scheduled check of a permit of `jurisdiction`. */
  check(jurisdiction: string, kind: CheckKind): void;
}

/**
 * The scheduler's metrics (issue 17): checks, changes and failures this process made, counted as
 * they finish (Prometheus sums them over processes), and per jurisdiction the watched permits and
 * the lag, how long the oldest due check has waited, read from the schedule when /metrics is
 * scraped, so every process reports the shared schedule the same way.
 */
export function registerSyncMetrics(registry: Registry, db: Queryable, clock: Clock): SyncMetrics {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['jurisdiction'], registers: [registry] });
  const checks = counter('permitwatch_sync_checks_total', 'Scheduled re-checks of watched permits made by this process, by jurisdiction');
  const changes = counter('permitwatch_sync_changes_total', 'Scheduled re-checks that found the permit changed (an event was appended)');
  const failures = counter('permitwatch_sync_failures_total', 'Scheduled re-checks that failed (portal down, refused or unreadable)');
  // One query per scrape for both gauges: prom-client asks every metric at once, so the second
  // collect joins the first one's query while it is in flight.
  let reading: Promise<{ now: number; rows: { jurisdiction: string; n: number; oldest: number | null }[] }> | undefined;
  const read = () =>
    (reading ??= (async () => {
      const now = clock.now();
      const rows = await db.all<{ jurisdiction: string; n: number; oldest: number | null }>(
        'SELECT jurisdiction, COUNT(*) AS n, MIN(CASE WHEN due_at <= ? THEN due_at END) AS oldest FROM sync_schedule GROUP BY jurisdiction',
        [now],
      );
      return { now, rows };
    })().finally(() => setImmediate(() => (reading = undefined))));
  new Gauge({
    name: 'permitwatch_sync_lag_seconds',
    help: 'How long the oldest due re-check has waited past its slot, by jurisdiction (0: nothing overdue)',
    labelNames: ['jurisdiction'],
    registers: [registry],
    async collect() {
      const { now, rows } = await read();
      this.reset();
      for (const r of rows) this.set({ jurisdiction: r.jurisdiction }, r.oldest === null ? 0 : (now - r.oldest) / 1000);
    },
  });
  new Gauge({
    name: 'permitwatch_sync_watched_permits',
    help: 'Watched permits on the re-check schedule, by jurisdiction',
    labelNames: ['jurisdiction'],
    registers: [registry],
    async collect() {
      const { rows } = await read();
      this.reset();
      for (const r of rows) this.set({ jurisdiction: r.jurisdiction }, r.n);
    },
  });
  return {
    check(jurisdiction, kind) {
      checks.inc({ jurisdiction });
      if (kind === 'changed') changes.inc({ jurisdiction });
      if (kind === 'failed') failures.inc({ jurisdiction });
    },
  };
}
