import { randomUUID } from 'node:crypto';
import type { Projection } from '../projections/projection.ts';
import { audienceOf, listenersOf } from './audience.ts';
import { matchesFilters } from './filters.ts';
import { addressPayload, draftPayloads } from './payloads.ts';
import { OUTBOX_PROJECTION, WEBHOOK_MIGRATIONS } from './tables.ts';

export interface OutboxOptions {
  /** A jurisdiction's display name for payloads (the catalog's), the slug when unknown. */
  displayName: (slug: string) => string;
}

/**
 * The webhook outbox (DESIGN.md §8): for each logged observation, every payload diff() gives ×
 * every subscription of its audience (audience.ts: keys that may see the permit, and feed
 * discoveries' filter matches) whose filters match → one pending delivery row. It runs inside the
 * projector's transaction and its checkpoint is saved in that same transaction, so each
 * delivery is enqueued exactly once, even across crashes. A rebuild never replays it: replay
 * would re-send history, so rebuild only moves its checkpoint to the head.
 */
export function createOutboxProjection(options: OutboxOptions): Projection {
  return {
    name: OUTBOX_PROJECTION,
    migrations: WEBHOOK_MIGRATIONS,
    // No table is a pure fold of the log (subscriptions are user data), so none is compared
    // by the rebuild-equality proof, and a rebuild replaces none: deliveries record what was sent.
    tables: [],
    replayOnRebuild: false,
    async apply(event, ctx, tx) {
      // The audience first: with none (most observations of most instances) no payload is drafted.
      const audience = await audienceOf(tx, event, ctx.changes);
      if (audience.seeing.length === 0 && audience.discovering.length === 0) return;
      const drafts = draftPayloads(event, { prev: ctx.prev, changes: ctx.changes, displayName: options.displayName });
      const dueAt = Date.parse(event.data.observed_at);
      for (const draft of drafts) {
        for (const sub of listenersOf(audience, draft.event)) {
          if (!matchesFilters(sub, draft.event, event.data.record)) continue;
          const id = randomUUID();
          await tx.run(
            `INSERT INTO webhook_deliveries (id, webhook_id, event_type, stream, stream_version, position, payload, status,
               attempts, next_attempt_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
            [
              id,
              sub.id,
              draft.event,
              event.stream,
              event.version,
              event.position,
              addressPayload(draft, sub.id, id),
              dueAt,
              event.data.observed_at,
            ],
          );
        }
      }
    },
  };
}
