import { randomUUID } from 'node:crypto';
import type { Queryable, SqlValue } from '../db/db.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { insertRows } from '../db/batch-statement.ts';
import type { WatchFacts } from '../events/watch.ts';
import { getPermitRecord } from '../projections/permits.ts';
import type { PermitProjected, Reaction } from '../projections/projection.ts';
import { audienceOf, listenersOf } from './audience.ts';
import { ENQUEUES_FOR, toSubscription, type Row } from './subscriptions.ts';
import { matchesFilters } from './filters.ts';
import { addressPayload, draftPayloads, draftWatchPayload } from './payloads.ts';
import { OUTBOX_PROJECTION, WEBHOOK_MIGRATIONS } from './tables.ts';

export interface OutboxOptions {
  /** A jurisdiction's display name for payloads (the catalog's), the slug when unknown. */
  displayName: (slug: string) => string;
  /** A jurisdiction's place name for PermitStack's `data.jurisdiction` (the catalog's city). */
  placeName: (slug: string) => string;
}

/**
 * The webhook outbox (DESIGN.md §8): for each logged observation, every payload diff() gives ×
 * every subscription of its audience (audience.ts: keys that may see the permit, and feed
 * discoveries' filter matches) whose filters match → one pending delivery row. It runs inside the
 * projector's transaction and its checkpoint is saved in that same transaction, so each
 * delivery is enqueued exactly once, even across crashes. A rebuild never replays it: replay
 * would re-send history, so rebuild only moves its checkpoint to the head. It owns no table a
 * rebuild could replace (subscriptions are user data; deliveries record what was sent).
 */
export function createOutboxProjection(options: OutboxOptions): Reaction {
  return {
    rebuild: 'checkpoint-only',
    name: OUTBOX_PROJECTION,
    migrations: WEBHOOK_MIGRATIONS,
    async handle(events, tx) {
      // No subscription can take a delivery (most instances, and every feed page before the first
      // webhook): one query for the batch instead of one audience query per event (bench/feed-ingest.ts).
      if (!(await tx.get(`SELECT 1 FROM webhooks w WHERE ${ENQUEUES_FOR} LIMIT 1`))) return;
      const rows: SqlValue[][] = [];
      for (const e of events) {
        switch (e.event.type) {
          case PERMIT_OBSERVED:
            await addDeliveries(rows, e as PermitProjected, tx, options);
            break;
          case WATCH_ADDED:
          case WATCH_UPDATED:
          case WATCH_REMOVED:
            await addWatchDeliveries(rows, e.event, tx);
            break;
          default:
            assertUnreachable(e.event, 'event type');
        }
      }
      await insertDeliveries(tx, rows);
    },
  };
}

const insertDeliveries = insertRows(
  'webhook_deliveries',
  'id, webhook_id, event_type, stream, stream_version, position, payload, status, attempts, next_attempt_at, created_at'.split(', '),
);

/** One pending delivery row per payload diff() gives × subscription of its audience whose filters match it. */
async function addDeliveries(
  rows: SqlValue[][],
  { event, prev, changes }: PermitProjected,
  tx: Queryable,
  options: OutboxOptions,
): Promise<void> {
  // The audience first: with none (most observations of most instances) no payload is drafted.
  const audience = await audienceOf(tx, event, changes);
  if (audience.seeing.length === 0 && audience.discovering.length === 0) return;
  const drafts = draftPayloads(event, { prev, changes, displayName: options.displayName, placeName: options.placeName });
  const dueAt = Date.parse(event.data.observed_at);
  for (const draft of drafts) {
    // Backfilled history is not a new permit, whoever may see it (a key that once asked for the number).
    if (draft.event === 'permit.created' && event.data.backfill === true) continue;
    for (const sub of listenersOf(audience, draft.event)) {
      if (!matchesFilters(sub, draft.event, event.data.record)) continue;
      rows.push(deliveryRow(draft, sub.id, event, dueAt, event.data.observed_at));
    }
  }
}

/** One pending outbox row: `draft` addressed to one subscription, due at once (`dueAt`, ms of `at`). */
function deliveryRow(
  draft: Parameters<typeof addressPayload>[0],
  subscriptionId: string,
  event: { stream: string; version: number; position: number },
  dueAt: number,
  at: string,
): SqlValue[] {
  const id = randomUUID();
  return [
    id,
    subscriptionId,
    draft.event,
    event.stream,
    event.version,
    event.position,
    addressPayload(draft, subscriptionId, id),
    'pending',
    0,
    dueAt,
    at,
  ];
}

/**
 * The watchlist events go to the watching key's own subscriptions only (never to others who
 * may see the permit), each checked against its filters on the permit's current record.
 */
async function addWatchDeliveries(rows: SqlValue[][], event: WatchFacts, tx: Queryable): Promise<void> {
  if (event.type === WATCH_UPDATED) return;
  const subs = await tx.all<Row>(`SELECT w.* FROM webhooks w WHERE w.key_id = ? AND ${ENQUEUES_FOR} ORDER BY w.created_at, w.id`, [
    event.data.key_id,
  ]);
  if (subs.length === 0) return;
  const record = await getPermitRecord(tx, event.data.stream);
  const draft = draftWatchPayload(event, record);
  if (!draft) return;
  const dueAt = Date.parse(event.data.at);
  for (const sub of subs.map(toSubscription)) {
    if (record ? !matchesFilters(sub, draft.event, record) : !sub.events.includes(draft.event)) continue;
    rows.push(deliveryRow(draft, sub.id, event, dueAt, event.data.at));
  }
}
