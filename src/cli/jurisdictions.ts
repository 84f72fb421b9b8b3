import type { CliContext } from './context.ts';
import { serverClient } from './server-client.ts';
import { printTable } from './table.ts';

interface Health {
  slug: string;
  last_success_at: string | null;
  requests: number;
  error_rate: number | null;
  median_fetch_ms: number | null;
  unknown_status_share: number | null;
  permits_observed: number;
  breaker: { state: string };
}

/**
 * `permitwatch jurisdictions`: the catalog with each portal's health, as a table. Fetch health
 * lives in the serving process, so this asks the running server (`--url`), with `--key` (or
 * PERMITWATCH_API_KEY) for the live plane; without a key the counts are still the live plane's
 * (the list is public) and the health is the demo plane's.
 */
export async function jurisdictionsCommand(ctx: CliContext, options: { url?: string; key?: string; json?: boolean }): Promise<void> {
  const server = serverClient(ctx, options);
  const list = await server.json<{
    jurisdictions: { slug: string; display_name: string; platform: string; state: string; active_permits_count: number }[];
  }>('GET', '/api/v1/jurisdictions');
  const rows = await Promise.all(
    list.jurisdictions.map(async (j) => {
      const answer = await server.call<Health>('GET', `/api/v1/jurisdictions/${encodeURIComponent(j.slug)}/health`);
      return { ...j, health: answer.ok ? answer.body : undefined };
    }),
  );
  if (options.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return;
  }
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
  printTable(
    ctx,
    ['SLUG', 'PLATFORM', 'ST', 'ACTIVE', 'LAST SUCCESS', 'FETCHES', 'ERRORS', 'MEDIAN MS', 'UNKNOWN', 'BREAKER'],
    rows.map((r) => [
      r.slug,
      r.platform,
      r.state,
      String(r.active_permits_count),
      r.health?.last_success_at?.slice(0, 19) ?? '-',
      String(r.health?.requests ?? '-'),
      pct(r.health?.error_rate),
      r.health?.median_fetch_ms === null || r.health?.median_fetch_ms === undefined ? '-' : String(Math.round(r.health.median_fetch_ms)),
      pct(r.health?.unknown_status_share),
      r.health?.breaker.state ?? '-',
    ]),
  );
}
