import type { Context } from 'hono';
import { checkPermitNumber } from '../jurisdictions/match.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { LookupResult } from '../ingest/lookup.ts';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

type Found = Extract<LookupResult, { ok: true }>;

/** A cancelled lookup can be asked again at once: the portal was not the problem. */
const CANCELLED_RETRY_AFTER_SECONDS = 1;

/** Whether the caller's plan lets it bypass the cache (reference: Free plan cannot). */
export function refreshAvailable(c: Context<AppEnv>): boolean {
  const caller = c.get('caller');
  return caller.kind === 'key' && caller.plan.force_refresh;
}

/**
 * Runs a lookup for a permit route and turns every failure into the documented error, so the
 * status, history and inspections routes answer alike.
 */
export async function lookupForRoute(
  c: Context<AppEnv>,
  input: { permit_number: string; jurisdiction?: string; force_refresh?: string },
  options: {
    metered?: boolean;
    /** When the caller gives up; the request's own signal (aborted when the client goes away) by default. */
    signal?: AbortSignal;
  } = {},
): Promise<Found> {
  const checked = checkPermitNumber(input.permit_number);
  if (!checked.ok) throw new ApiError(400, 'invalid_permit_number', checked.message);
  const force = input.force_refresh === 'true' || input.force_refresh === '1';
  if (force && !refreshAvailable(c)) {
    throw new ApiError(403, 'force_refresh_not_available', 'Your plan cannot use force_refresh. Upgrade to a paid plan.');
  }
  // A batch charges once for all its permits; a single lookup charges here, after validation
  // (bad input costs nothing) and before the portal is touched.
  if (options.metered !== false) await c.get('meter')(c, { cost: 1, forceRefresh: force });
  const caller = c.get('caller');
  const result = await c.get('plane').lookup.lookup({
    permitNumber: checked.number,
    jurisdiction: input.jurisdiction,
    forceRefresh: force,
    requestId: c.get('requestId'),
    viewer: caller.kind === 'key' ? caller.key.id : undefined,
    signal: options.signal ?? (() => c.req.raw.signal),
  });
  if (result.ok) return result;
  switch (result.reason) {
    case 'jurisdiction_not_supported':
      throw new ApiError(404, 'jurisdiction_not_supported', result.message);
    case 'multiple_jurisdictions': {
      const first = result.candidates[0]!;
      throw new ApiError(300, 'multiple_jurisdictions', 'This permit number matches several jurisdictions: pass ?jurisdiction=', {
        candidates: result.candidates.map((j) => ({ slug: j.slug, display_name: j.display_name })),
        example: `/api/v1/permits/${encodeURIComponent(checked.number)}/status?jurisdiction=${first.slug}`,
      });
    }
    case 'permit_not_found':
      throw new ApiError(404, 'permit_not_found', `Permit ${checked.number} not found in ${result.jurisdiction.display_name}`, {
        jurisdiction: result.jurisdiction.slug,
      });
    case 'jurisdiction_unavailable':
      throw new ApiError(
        503,
        'jurisdiction_unavailable',
        result.message,
        { jurisdiction: result.jurisdiction.slug, retry_after_seconds: result.retry_after_seconds },
        { 'Retry-After': String(result.retry_after_seconds) },
      );
    case 'cancelled':
      // Our caller went away (or its batch deadline passed): whatever we answer, nobody reads it.
      throw new ApiError(
        503,
        'jurisdiction_unavailable',
        'the lookup was cancelled before the portal answered',
        { jurisdiction: result.jurisdiction.slug, retry_after_seconds: CANCELLED_RETRY_AFTER_SECONDS },
        { 'Retry-After': String(CANCELLED_RETRY_AFTER_SECONDS) },
      );
    default:
      return assertUnreachable(result);
  }
}
