import { CliError, type CliContext } from './context.ts';

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
 * PERMITWATCH_API_KEY) for the live plane; without a key it shows the demo plane.
 */
export async function jurisdictionsCommand(ctx: CliContext, options: { url?: string; key?: string; json?: boolean }): Promise<void> {
  const base = (options.url ?? `http://127.0.0.1:${ctx.config.port}`).replace(/\/+$/, '');
  const headers: Record<string, string> = options.key ? { 'x-api-key': options.key } : {};
  let list: { jurisdictions: { slug: string; display_name: string; platform: string; state: string; active_permits_count: number }[] };
  try {
    const res = await fetch(`${base}/api/v1/jurisdictions`, { headers });
    if (!res.ok) throw new CliError(`${base} answered ${res.status}: ${await res.text()}`);
    list = (await res.json()) as typeof list;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot reach the server at ${base} (${(err as Error).message}); start it with \`permitwatch serve\` or pass --url`);
  }
  const rows = await Promise.all(
    list.jurisdictions.map(async (j) => {
      const res = await fetch(`${base}/api/v1/jurisdictions/${encodeURIComponent(j.slug)}/health`, { headers });
      const health = res.ok ? ((await res.json()) as Health) : undefined;
      return { ...j, health };
    }),
  );
  if (options.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return;
  }
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
  const table = [
    ['SLUG', 'PLATFORM', 'ST', 'ACTIVE', 'LAST SUCCESS', 'FETCHES', 'ERRORS', 'MEDIAN MS', 'UNKNOWN', 'BREAKER'],
    ...rows.map((r) => [
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
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) ctx.out(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
