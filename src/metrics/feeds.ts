import { Counter, Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { FeedRunSummary } from '../sync/feeds.ts';

export interface FeedMetrics {
  /** One finished feed run of this process. */
  run(summary: FeedRunSummary): void;
}

/**
 * The feeds' metrics (issue 18): rows read and new-or-changed permits appended, and failed runs,
 * counted by the process that ran them; per feed the lag since its last complete read, from
 * `feed_cursors` at scrape, so every process reports the shared cursors alike.
 */
export function registerFeedMetrics(registry: Registry, db: Queryable, clock: Clock): FeedMetrics {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['jurisdiction'], registers: [registry] });
  const rows = counter('permitwatch_feed_rows_total', 'Feed rows read by this process, by jurisdiction');
  const appended = counter('permitwatch_feed_appended_total', 'Feed rows that were new or changed permits (an event was appended)');
  const errors = counter('permitwatch_feed_errors_total', 'Feed runs that failed (portal down, refused or unreadable)');
  new Gauge({
    name: 'permitwatch_feed_lag_seconds',
    help: 'Seconds since the last complete read of each feed finished (how stale its newest permits may be)',
    labelNames: ['jurisdiction'],
    registers: [registry],
    async collect() {
      const cursors = await db.all<{ jurisdiction: string; last_success_at: string | null }>(
        'SELECT jurisdiction, last_success_at FROM feed_cursors WHERE last_success_at IS NOT NULL',
      );
      this.reset();
      const now = clock.now();
      for (const c of cursors) this.set({ jurisdiction: c.jurisdiction }, (now - Date.parse(c.last_success_at!)) / 1000);
    },
  });
  return {
    run(summary) {
      rows.inc({ jurisdiction: summary.jurisdiction }, summary.rows);
      appended.inc({ jurisdiction: summary.jurisdiction }, summary.appended);
      if (!summary.ok) errors.inc({ jurisdiction: summary.jurisdiction });
    },
  };
}
