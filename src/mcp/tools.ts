import { z } from '@hono/zod-openapi';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { AppEnv } from '../api/context.ts';
import { BatchStatus, batchStatus, BatchStatusRequest } from '../api/routes/batch-status.ts';
import { JurisdictionList, listJurisdictions } from '../api/routes/jurisdictions.ts';
import { History, Inspections, permitHistory, permitInspections, permitStatus } from '../api/routes/permits.ts';
import { watchedPermits, WatchedPermits, WatchedPermitsQuery } from '../api/routes/portfolio.ts';
import { addWatch, AddWatchRequest, NewWatch } from '../api/routes/watchlist.ts';
import { LookupQuery, PermitParams, PermitStatus } from '../api/schemas.ts';
import type { Permission } from '../accounts/keys.ts';
import type { Clock } from '../lib/clock.ts';

export interface ToolDeps {
  /** The batch's deadline, as the REST route has it (config `batch_timeout_seconds`). */
  batchTimeoutSeconds: number;
  /** Stamps watches, as the REST watchlist routes do. */
  clock: Clock;
}

/**
 * One MCP tool over the services the REST routes use: its input is a REST route's request
 * schema, its structured output that route's body schema, and `run` the function the route
 * answers with, so a tool call and a REST call cost and answer the same.
 */
export interface PermitwatchTool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** What the REST route requires of the key (default `read`); without a key only `read` tools answer. */
  permission?: Permission;
  run(c: Context<AppEnv>, args: z.infer<I>, deps: ToolDeps): Promise<z.infer<O>>;
  /** The one line an assistant reads; the structured content carries the rest. */
  summary(body: z.infer<O>): string;
}

/** Keeps each tool's types checked while the list holds them as one type. */
function tool<I extends z.ZodObject, O extends z.ZodObject>(t: PermitwatchTool<I, O>): PermitwatchTool {
  return t as unknown as PermitwatchTool;
}

/** The REST lookup's path and query as one argument object. */
const PermitArgs = PermitParams.extend(LookupQuery.shape);

/** A lookup reads the portal when the cache is stale: the open world, but never a change to it. */
const LOOKUP: ToolAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: true };

const JURISDICTION_HINT = 'Pass `jurisdiction` (a slug from list_jurisdictions) when a number matches several.';

function statusLine(s: z.infer<typeof PermitStatus>): string {
  const status = s.status ?? s.portal_status ?? 'no status';
  const what = [s.permit_type, s.address].filter(Boolean).join(', ');
  return `${s.permit_number} (${s.jurisdiction_display}): ${status} [${s.status_phase}]${what ? `, ${what}` : ''}`;
}

export const TOOLS: readonly PermitwatchTool[] = [
  tool({
    name: 'get_permit_status',
    title: 'Permit status',
    description:
      "Current status of a building permit by its number: status and phase, the portal's verbatim status, type, address and " +
      `how fresh the data is. Served from the cache for 4 hours, else fetched from the portal; force_refresh (paid plans, 10 credits) always fetches. ${JURISDICTION_HINT}`,
    input: PermitArgs,
    output: PermitStatus,
    annotations: LOOKUP,
    run: (c, args) => permitStatus(c, args),
    summary: (s) => `${statusLine(s)}; ${s.source}, ${s.data_freshness.age_seconds} s old`,
  }),
  tool({
    name: 'batch_permit_status',
    title: 'Status of several permits',
    description:
      'Status of 1 to 25 permits at once, each a number or {permit_number, jurisdiction}. Always answers with `results` and ' +
      'per-permit `errors` (not_found, invalid_permit_number, multiple_jurisdictions with candidates, timeout, jurisdiction_unavailable).',
    input: BatchStatusRequest,
    output: BatchStatus,
    annotations: LOOKUP,
    run: (c, args, deps) => batchStatus(c, args, deps.batchTimeoutSeconds),
    summary: (b) =>
      [
        `${b.results.length} found, ${b.errors.length} not`,
        ...b.results.map(statusLine),
        ...b.errors.map((e) => `${e.permit_number}: ${e.error}`),
      ].join('; '),
  }),
  tool({
    name: 'list_jurisdictions',
    title: 'Supported jurisdictions',
    description: 'The jurisdictions this server can look permits up in: slug, name, platform, state, city and active permit count.',
    input: z.object({}),
    output: JurisdictionList,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run: (c) => listJurisdictions(c.get('plane')),
    summary: (l) => `${l.total} jurisdictions: ${l.jurisdictions.map((j) => j.slug).join(', ')}`,
  }),
  tool({
    name: 'get_permit_history',
    title: 'Permit status history',
    description:
      "A permit's status timeline, oldest first: the portal's own history merged with the changes this server observed " +
      `(source portal or sync_log). Costs one lookup, like get_permit_status. ${JURISDICTION_HINT}`,
    input: PermitArgs,
    output: History,
    annotations: LOOKUP,
    run: (c, args) => permitHistory(c, args),
    summary: (h) => {
      const last = h.timeline.at(-1);
      const latest = last ? `; latest ${last.status ?? last.portal_status ?? 'no status'} on ${last.changed_at}` : '';
      return `${h.permit_number} (${h.jurisdiction}): ${h.timeline.length} timeline entries${latest}`;
    },
  }),
  tool({
    name: 'get_permit_inspections',
    title: 'Permit inspections',
    description:
      "A permit's completed inspections with results, its scheduled and pending ones, and the pass rate over completed " +
      `inspections. Costs one lookup, like get_permit_status. ${JURISDICTION_HINT}`,
    input: PermitArgs,
    output: Inspections,
    annotations: LOOKUP,
    run: (c, args) => permitInspections(c, args),
    summary: (i) => {
      const rate = i.pass_rate === null ? 'no pass rate' : `pass rate ${Math.round(i.pass_rate * 100)} %`;
      return `${i.permit_number} (${i.jurisdiction}): ${i.completed_count} completed (${i.passed_count} passed, ${rate}), ${i.pending.length} pending`;
    },
  }),
  tool({
    name: 'watch_permit',
    title: 'Watch a permit',
    description:
      'Add a permit to the watchlist of your API key: it is then re-checked at its portal on its own, and its changes reach ' +
      "your key's webhooks. Answers the watch and the permit's current status; watching it again answers the existing watch " +
      `(created false). Needs a key with the write permission (a sandbox key watches the demo dataset). ${JURISDICTION_HINT}`,
    input: AddWatchRequest,
    output: NewWatch.extend({ created: z.boolean().describe('false: this key already watched the permit; the existing watch') }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    permission: 'write',
    run: async (c, args, deps) => {
      const added = await addWatch(c, args, new Date(deps.clock.now()).toISOString());
      return { ...added.body, created: added.created };
    },
    summary: (w) => `${w.created ? 'Now watching' : 'Already watching'} ${statusLine(w.current_status)}; watch ${w.id}`,
  }),
  tool({
    name: 'list_watched_permits',
    title: 'Watched permits',
    description:
      "The permits on your API key's watchlist with their current status, in watch-id order, up to `limit` (1-100) a page; " +
      'pass `next_cursor` back as `cursor` for the next. Filters: status_phase, jurisdiction. Needs a key.',
    input: WatchedPermitsQuery,
    output: WatchedPermits,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run: (c, args) => watchedPermits(c, args),
    summary: (l) =>
      [
        `${l.permits.length} watched permit${l.permits.length === 1 ? '' : 's'}${l.next_cursor ? ' (more: pass next_cursor)' : ''}`,
        ...l.permits.map(
          (p) => `${p.permit_number} (${p.jurisdiction}): ${p.status ?? p.portal_status ?? 'no status'} [${p.status_phase}]`,
        ),
      ].join('; '),
  }),
];
