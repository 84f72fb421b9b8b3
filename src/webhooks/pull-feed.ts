import type { Queryable } from '../db/db.ts';
import { decodeFacts, type PermitObservedFacts } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED, type WatchFacts } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { diff } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';
import { readAll, readStreamVersion, STORED_EVENT_COLUMNS, type StoredEvent } from '../store/read.ts';
import type { WebhookEvent } from './events.ts';
import { matchesFilters, type SubscriptionFilters } from './filters.ts';
import { draftPayloads, draftWatchPayload, type DraftPayload, type PayloadContext } from './payloads.ts';

/**
 * Log events one request reads at most, visible or not: a key that may see little of a large
 * log gets an empty page and a cursor further on, never a request that reads the whole log.
 */
export const PULL_FEED_SCAN_MAX = 2_000;

/** One entry of the pull feed: a webhook payload (unaddressed) and where in the log it came from. */
export interface PullFeedItem {
  /** `<position>-<n>`: the n-th payload of that log event, stable across polls, for deduplication. */
  id: string;
  position: number;
  event: WebhookEvent;
  payload: Record<string, unknown>;
}

export interface PullFeedPage {
  items: PullFeedItem[];
  /** The last log position this page covered: the `after` of the next poll. */
  position: number;
  /** Whether the log held more past `position` when this page was read. */
  has_more: boolean;
}

export interface PullFeedRequest {
  keyId: string;
  after: number;
  limit: number;
  filters: SubscriptionFilters;
  names: Pick<PayloadContext, 'displayName' | 'placeName'>;
}

/**
 * The change stream as the webhooks would have sent it to a subscription of `keyId` with these
 * filters (issue 18 item 4): the same payload builders, the same filter matcher, and the outbox's
 * audience rule read at poll time: a permit's payloads from the moment the key looked it up or
 * watched it (`subscriber_permits.since`), a feed-discovered permit's `permit.created` to any key
 * whose filters match, and watch events of the key's own watches only. Payloads of one log event
 * are never split across pages, so a page may pass `limit` by the rest of one event's payloads.
 */
export async function readPullFeed(db: Queryable, req: PullFeedRequest): Promise<PullFeedPage> {
  const stored = await readAll(db, req.after, PULL_FEED_SCAN_MAX);
  const since = await seenSince(
    db,
    req.keyId,
    stored.map((e) => e.stream),
  );
  const latest = new Map<string, PermitRecord>();
  const items: PullFeedItem[] = [];
  let position = req.after;
  for (const row of stored) {
    const decoded = decodeFacts(row);
    if (!decoded.ok) throw new Error(`pull feed: ${decoded.message} at position ${decoded.position}`);
    const event = decoded.event;
    let drafts: DraftPayload[];
    switch (event.type) {
      case PERMIT_OBSERVED:
        drafts = await permitDrafts(db, event, since.get(event.stream), latest, req);
        break;
      case WATCH_ADDED:
      case WATCH_UPDATED:
      case WATCH_REMOVED:
        drafts = await watchDrafts(db, event, req);
        break;
      default:
        return assertUnreachable(event, 'event type');
    }
    if (items.length > 0 && items.length + drafts.length > req.limit) break;
    drafts.forEach((d, n) => items.push({ id: `${row.position}-${n}`, position: row.position, event: d.event, payload: d.body }));
    position = row.position;
    if (items.length >= req.limit) break;
  }
  const head = stored.length > 0 ? stored[stored.length - 1]!.position : req.after;
  return { items, position, has_more: position < head || stored.length === PULL_FEED_SCAN_MAX };
}

async function permitDrafts(
  db: Queryable,
  event: PermitObservedFacts,
  seenFrom: string | undefined,
  latest: Map<string, PermitRecord>,
  req: PullFeedRequest,
): Promise<DraftPayload[]> {
  const prev = event.version === 1 ? null : (latest.get(event.stream) ?? (await recordAt(db, event.stream, event.version - 1)));
  const record = event.data.record;
  latest.set(event.stream, record);
  const seeing = seenFrom !== undefined && event.data.observed_at >= seenFrom;
  const changes = diff(prev, record);
  // As the outbox: a feed's backfill is history, whose permit.created goes to nobody (audience.ts).
  const backfill = event.data.backfill === true;
  const discovered = event.data.source === 'feed' && !backfill && changes.some((c) => c.kind === 'permit_created');
  if (!seeing && !discovered) return [];
  return draftPayloads(event, { prev, changes, ...req.names }).filter(
    (d) =>
      (seeing || d.event === 'permit.created') && !(backfill && d.event === 'permit.created') && matchesFilters(req.filters, d.event, record),
  );
}

// The outbox gives a watch event the permit's record as the read model held it then: here, the
// stream's last observation logged before the watch event.
async function watchDrafts(db: Queryable, event: WatchFacts, req: PullFeedRequest): Promise<DraftPayload[]> {
  if (event.type === WATCH_UPDATED || event.data.key_id !== req.keyId) return [];
  const record = await recordBefore(db, event.data.stream, event.position);
  const draft = draftWatchPayload(event, record);
  if (!draft) return [];
  const passes = record ? matchesFilters(req.filters, draft.event, record) : req.filters.events.includes(draft.event);
  return passes ? [draft] : [];
}

/** When `keyId` first could see each of these streams (its earliest lookup or watch), by stream. */
async function seenSince(db: Queryable, keyId: string, streams: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(streams)];
  const out = new Map<string, string>();
  // In slices: each stream is one bound parameter.
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await db.all<{ stream: string; since: string }>(
      `SELECT stream, MIN(since) AS since FROM subscriber_permits WHERE key_id = ? AND stream IN (${slice.map(() => '?').join(', ')}) GROUP BY stream`,
      [keyId, ...slice],
    );
    for (const r of rows) out.set(r.stream, r.since);
  }
  return out;
}

async function recordAt(db: Queryable, stream: string, version: number): Promise<PermitRecord | null> {
  return recordOf(await readStreamVersion(db, stream, version));
}

async function recordBefore(db: Queryable, stream: string, position: number): Promise<PermitRecord | undefined> {
  const row = await db.get<StoredEvent>(
    `SELECT ${STORED_EVENT_COLUMNS.join(', ')} FROM events WHERE stream = ? AND position < ? ORDER BY version DESC LIMIT 1`,
    [stream, position],
  );
  return recordOf(row) ?? undefined;
}

function recordOf(row: StoredEvent | undefined): PermitRecord | null {
  if (!row) return null;
  const decoded = decodeFacts(row);
  return decoded.ok && decoded.event.type === PERMIT_OBSERVED ? decoded.event.data.record : null;
}
