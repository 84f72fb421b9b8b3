import type { z } from '@hono/zod-openapi';
import type { WatchedPermit } from '../api/routes/portfolio.ts';
import type { WatchView } from '../api/routes/watchlist.ts';
import type { PermitStatus } from '../api/schemas.ts';
import { WATCH_ID_PATTERN } from '../watchlist/write.ts';
import { CliError, EXIT_FAILURE, EXIT_USAGE, type CliContext } from './context.ts';
import { keyedServerClient, type ServerAnswer } from './server-client.ts';
import { printTable } from './table.ts';

/** What every `permitwatch watch` command takes: the running server, the key, the output. */
export interface WatchCliOptions {
  url?: string;
  key?: string;
  json?: boolean;
}

type NewWatch = z.infer<typeof WatchView> & { current_status: z.infer<typeof PermitStatus> };
type Watched = z.infer<typeof WatchedPermit>;

/** Pages `watch list` follows at most: 100 pages of 100 is 10,000 watches, each page one credit. */
const LIST_PAGES_MAX = 100;

const keyedClient = (ctx: CliContext, options: WatchCliOptions) => keyedServerClient(ctx, options, 'watches');

/**
 * A refusal of the server as a CliError; with `--json` the API's error body is printed first, for
 * scripts. An ambiguous number (300) names its candidates and the flag that picks one.
 */
function refused(ctx: CliContext, base: string, answer: Extract<ServerAnswer<unknown>, { ok: false }>, json?: boolean): CliError {
  if (json && answer.body) ctx.out(JSON.stringify(answer.body, null, 2));
  const candidates = answer.body?.candidates as { slug: string; display_name: string }[] | undefined;
  if (answer.error === 'multiple_jurisdictions' && candidates)
    return new CliError(
      `${answer.message}; pass --jurisdiction, one of:\n${candidates.map((j) => `  ${j.slug}  ${j.display_name}`).join('\n')}`,
      EXIT_FAILURE,
    );
  return new CliError(`${base} answered ${answer.status} ${answer.error}: ${answer.message}`, EXIT_FAILURE);
}

/**
 * `permitwatch watch add <number>`: POST /api/v1/watchlist, the API's own write path (the permit is
 * looked up as a status call does, then `watch.added` is appended). Watching again answers the
 * existing watch, unchanged.
 */
export async function watchAdd(
  ctx: CliContext,
  permitNumber: string,
  options: WatchCliOptions & { jurisdiction?: string; label?: string; note?: string },
): Promise<void> {
  const client = keyedClient(ctx, options);
  const body = { permit_number: permitNumber, jurisdiction: options.jurisdiction, label: options.label, note: options.note };
  const answer = await client.call<NewWatch>('POST', '/api/v1/watchlist', body);
  if (!answer.ok) throw refused(ctx, client.base, answer, options.json);
  const watch = answer.body;
  if (options.json) return ctx.out(JSON.stringify(watch, null, 2));
  const status = watch.current_status;
  ctx.out(
    `${answer.status === 201 ? 'watching' : 'already watching'} ${watch.permit_number} (${watch.jurisdiction}) as ${watch.id}` +
      (watch.label ? ` "${watch.label}"` : ''),
  );
  ctx.out(`  status: ${status.portal_status ?? '(none)'}  [${status.status_phase}]`);
  ctx.out(`  address: ${status.address ?? '(none)'}`);
}

/** `permitwatch watch list`: the key's watched permits with their current status (GET /api/v1/permits, every page). */
export async function watchList(ctx: CliContext, options: WatchCliOptions): Promise<void> {
  const client = keyedClient(ctx, options);
  const permits: Watched[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < LIST_PAGES_MAX; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const answer: ServerAnswer<{ permits: Watched[]; next_cursor: string | null }> = await client.call(
      'GET',
      `/api/v1/permits?limit=100${query}`,
    );
    if (!answer.ok) throw refused(ctx, client.base, answer, options.json);
    permits.push(...answer.body.permits);
    cursor = answer.body.next_cursor;
    if (!cursor) break;
  }
  if (cursor) ctx.err(`listed the first ${permits.length} watches; GET /api/v1/permits?cursor=${cursor} continues`);
  if (options.json) return ctx.out(JSON.stringify(permits, null, 2));
  if (permits.length === 0) return ctx.out('no watches under this key yet: permitwatch watch add <permit_number>');
  printTable(
    ctx,
    ['WATCH ID', 'PERMIT', 'JURISDICTION', 'PHASE', 'STATUS', 'LABEL', 'LAST CHECKED'],
    permits.map((p) => [
      p.id,
      p.permit_number,
      p.jurisdiction,
      p.status_phase,
      p.portal_status ?? '-',
      p.label ?? '-',
      p.last_synced_at?.slice(0, 19) ?? '-',
    ]),
  );
}

/** `permitwatch watch remove <id>`: DELETE /api/v1/watchlist/{id}; the permit and its history stay. */
export async function watchRemove(ctx: CliContext, id: string, options: WatchCliOptions): Promise<void> {
  if (!WATCH_ID_PATTERN.test(id))
    throw new CliError(`"${id}" is not a watch id (wat_...): \`permitwatch watch list\` shows them`, EXIT_USAGE);
  const client = keyedClient(ctx, options);
  const answer = await client.call<undefined>('DELETE', `/api/v1/watchlist/${encodeURIComponent(id)}`);
  if (!answer.ok) throw refused(ctx, client.base, answer, options.json);
  // DELETE answers 204 with no body; --json says what happened in the webhooks commands' shape.
  if (options.json) return ctx.out(JSON.stringify({ status: 'removed', id }, null, 2));
  ctx.out(`stopped watching: removed ${id}`);
}
