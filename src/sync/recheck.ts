import { NO_SUCH_PERMIT_ANSWER, type LookupService } from '../ingest/lookup.ts';
import type { ClaimedCheck } from './claims.ts';

/** What one re-check found: the record changed (an event was appended), did not, or the portal failed. */
export type CheckOutcome =
  | { kind: 'changed' }
  | { kind: 'unchanged' }
  /** The portal answered that it does not know the permit (for a permit never seen, or one held). */
  | { kind: 'not_found' }
  | { kind: 'failed'; reason: string };

export type CheckKind = CheckOutcome['kind'];

/**
 * Re-checks one watched permit through the same write path as a forced live lookup: the adapter
 * fetches the portal, an observation that differs is appended, the projections (the webhook
 * outbox among them) catch up in that transaction, and an unchanged one only moves the
 * permit's freshness. So a change the scheduler notices fires webhooks as an API lookup's would.
 */
export async function recheck(
  lookup: Pick<LookupService, 'lookup'>,
  check: ClaimedCheck,
  requestId: string,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  const result = await lookup.lookup({
    permitNumber: check.permit_number,
    jurisdiction: check.jurisdiction,
    forceRefresh: true,
    requestId,
    signal,
  });
  if (result.ok) {
    if (result.stale_because === NO_SUCH_PERMIT_ANSWER) return { kind: 'not_found' };
    // A held permit answered from the log because its portal failed: the lookup's fallback, our failure.
    if (result.stale_because !== undefined) return { kind: 'failed', reason: result.stale_because };
    return { kind: result.changed ? 'changed' : 'unchanged' };
  }
  switch (result.reason) {
    case 'permit_not_found':
      return { kind: 'not_found' };
    case 'jurisdiction_unavailable':
      return { kind: 'failed', reason: result.message };
    case 'jurisdiction_not_supported':
      return { kind: 'failed', reason: result.message };
    case 'multiple_jurisdictions':
    case 'cancelled':
      return { kind: 'failed', reason: result.reason };
  }
}
