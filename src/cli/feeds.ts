import { openDatabase } from '../app.ts';
import { ADAPTERS } from '../jurisdictions/adapters.ts';
import { CATALOG_ENTRIES } from '../jurisdictions/catalog.ts';
import { listCursors, type FeedCursor } from '../sync/feed-cursors.ts';
import { resolveFeeds } from '../sync/feed-names.ts';
import type { CliContext } from './context.ts';
import { printTable } from './table.ts';

/** One feed as `permitwatch feeds` shows it: enabled here or not, and its cursor row (none before its first run). */
export interface FeedStatus {
  jurisdiction: string;
  enabled: boolean;
  cursor: FeedCursor | null;
}

/**
 * `permitwatch feeds`: each feed's cursor, last run, rows and errors, read from the configured
 * database (what every process running feeds shares): the feeds PERMITWATCH_FEEDS enables, and
 * any other that has a cursor from before. `--json`: the same as an array.
 */
export async function feedsCommand(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const enabled = resolveFeeds(ctx.config.feeds, CATALOG_ENTRIES, ADAPTERS);
  const slugs = enabled.ok ? enabled.slugs : [];
  const db = await openDatabase(ctx.config.database_url, ctx.config.database_auth_token);
  let cursors: FeedCursor[];
  try {
    cursors = await listCursors(db);
  } finally {
    await db.close();
  }
  const all = [...new Set([...slugs, ...cursors.map((c) => c.jurisdiction)])].sort();
  const feeds: FeedStatus[] = all.map((j) => ({ jurisdiction: j, enabled: slugs.includes(j), cursor: cursors.find((c) => c.jurisdiction === j) ?? null }));
  if (options.json) {
    ctx.out(JSON.stringify(feeds, null, 2));
    return;
  }
  if (feeds.length === 0) {
    ctx.out('no feeds: set PERMITWATCH_FEEDS (e.g. socrata:chicago,arcgis:bellingham, or all) and run serve or sync');
    return;
  }
  printTable(
    ctx,
    ['JURISDICTION', 'ENABLED', 'CURSOR', 'LAST RUN', 'ROWS', 'NEW/CHANGED', 'TOTAL ROWS', 'ERRORS', 'LAST ERROR'],
    feeds.map(({ jurisdiction, enabled: on, cursor: c }) => [
      jurisdiction,
      on ? 'yes' : 'no',
      c?.since ?? (c?.run_since ? `backfilling (${c.run_rows} rows so far)` : 'not read yet'),
      c?.last_run_at ?? '-',
      String(c?.last_rows ?? 0),
      String(c?.last_appended ?? 0),
      String(c?.rows_total ?? 0),
      String(c?.errors_total ?? 0),
      c?.last_error ?? '-',
    ]),
  );
}
