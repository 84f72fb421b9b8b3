import type { Queryable } from '../db/db.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import type { Change } from '../permits/diff.ts';
import type { WebhookEvent } from './events.ts';
import { feedFilterMatch } from './feed-filter-index.ts';
import { ENQUEUES_FOR, toSubscription, type Row, type Subscription } from './subscriptions.ts';

/**
 * Who may hear about one logged observation (issue 16, defect 3), before filters:
 * - `seeing`: subscriptions whose key may see the permit (looked it up, or watches it): they
 *   get every payload of the event that passes their filters;
 * - `discovering`: for a permit a feed discovered (source `feed`, first seen), subscriptions
 *   whose filters match it: they get its `permit.created` only. Filters decide here, since
 *   nobody has looked the new permit up yet (PermitStack's new-permit webhooks).
 */
export interface Audience {
  seeing: Subscription[];
  discovering: Subscription[];
}

/**
 * Both lists come from index seeks (subscriber_permits by stream, webhook_feed_filters by the
 * record's values), so their cost follows the audience, not the number of subscriptions: the
 * write transaction no longer loads and parses every subscription per event (defect 6).
 */
export async function audienceOf(tx: Queryable, event: PermitObservedFacts, changes: readonly Change[]): Promise<Audience> {
  const seeing = await tx.all<Row>(
    `SELECT w.* FROM webhooks w
     WHERE w.key_id IN (SELECT key_id FROM subscriber_permits WHERE stream = ?) AND ${ENQUEUES_FOR}
     ORDER BY w.created_at, w.id`,
    [event.stream],
  );
  // A feed's backfill is history: PermitStack sends webhooks "for new permits going forward only".
  const discovered = event.data.source === 'feed' && event.data.backfill !== true && changes.some((c) => c.kind === 'permit_created');
  if (!discovered) return { seeing: seeing.map(toSubscription), discovering: [] };
  const match = feedFilterMatch(event.data.record);
  const found = await tx.all<Row>(
    `SELECT w.* FROM webhooks w WHERE w.id IN (SELECT f.webhook_id FROM webhook_feed_filters f WHERE ${match.where}) AND ${ENQUEUES_FOR}
     ORDER BY w.created_at, w.id`,
    match.params,
  );
  const seen = new Set(seeing.map((r) => r.id));
  return { seeing: seeing.map(toSubscription), discovering: found.filter((r) => !seen.has(r.id)).map(toSubscription) };
}

/** The subscriptions a payload of type `event` may go to (each is still checked against its filters). */
export function listenersOf(audience: Audience, event: WebhookEvent): readonly Subscription[] {
  return event === 'permit.created' && audience.discovering.length > 0 ? [...audience.seeing, ...audience.discovering] : audience.seeing;
}
