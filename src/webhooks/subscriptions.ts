import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import type { WebhookEvent } from './events.ts';
import { indexFeedFilters } from './feed-filter-index.ts';
import type { Near, SubscriptionFilters } from './filters.ts';
import { newSecret } from './secret.ts';

/** Who turned a subscription off: the owner (DELETE, PATCH), the dispatcher, or its key's revocation. */
export type DisabledBy = 'user' | 'failures' | 'gone' | 'revoked';

export interface Subscription extends SubscriptionFilters {
  id: string;
  key_id: string;
  url: string;
  is_active: boolean;
  secret: string;
  previous_secret: string | null;
  /** Epoch ms until which deliveries are also signed with `previous_secret`. */
  previous_secret_expires_at: number | null;
  created_at: string;
  updated_at: string;
  last_triggered_at: string | null;
  consecutive_failures: number;
  disabled_by: DisabledBy | null;
  disabled_reason: string | null;
  disabled_at: string | null;
}

/** A write and its index rows commit together: in a transaction of their own unless already in one. */
function atomically<T>(db: Db | Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db ? db.transaction(fn) : fn(db);
}

/** A stored row: the same columns, with lists as JSON text and booleans as integers. */
export type Row = Omit<Subscription, 'events' | 'jurisdiction_filter' | 'near' | 'is_active' | 'disabled_by' | 'disabled_reason'> & {
  events: string;
  near: string | null;
  jurisdiction_filter: string | null;
  is_active: number;
  disabled_reason: string | null;
  deleted_at: string | null;
};

/** `disabled_reason` is stored as `<by>: <text>` so one column keeps both. */
export function toSubscription(row: Row): Subscription {
  const [by, ...rest] = (row.disabled_reason ?? '').split(': ');
  return {
    id: row.id,
    key_id: row.key_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    jurisdiction_filter: row.jurisdiction_filter === null ? null : (JSON.parse(row.jurisdiction_filter) as string[]),
    city: row.city,
    state: row.state,
    category: row.category,
    zip_code: row.zip_code,
    near: row.near === null ? null : (JSON.parse(row.near) as Near),
    is_active: row.is_active === 1,
    secret: row.secret,
    previous_secret: row.previous_secret,
    previous_secret_expires_at: row.previous_secret_expires_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_triggered_at: row.last_triggered_at,
    consecutive_failures: row.consecutive_failures,
    disabled_by: row.disabled_reason ? (by as DisabledBy) : null,
    disabled_reason: row.disabled_reason ? rest.join(': ') : null,
    disabled_at: row.disabled_at,
  };
}

export interface NewSubscription extends SubscriptionFilters {
  key_id: string;
  url: string;
}

/** The target and filter columns (url, events … zip_code, near) as stored, in the order the writes below name them. */
function targetColumns(t: SubscriptionFilters & { url: string }): (string | null)[] {
  return [
    t.url,
    JSON.stringify(t.events),
    t.jurisdiction_filter === null ? null : JSON.stringify(t.jurisdiction_filter),
    t.city,
    t.state,
    t.category,
    t.zip_code,
    t.near ? JSON.stringify({ lat: t.near.lat, lng: t.near.lng, radius_m: t.near.radius_m }) : null,
  ];
}

/** Creates an active subscription with a fresh secret; the secret is in this result only once. */
export async function createSubscription(db: Db | Queryable, input: NewSubscription, now: Date): Promise<Subscription> {
  const id = randomUUID();
  const at = now.toISOString();
  await atomically(db, async (tx) => {
    await tx.run(
      `INSERT INTO webhooks (id, key_id, url, events, jurisdiction_filter, city, state, category, zip_code, near, is_active, secret,
         created_at, updated_at, consecutive_failures)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 0)`,
      [id, input.key_id, ...targetColumns(input), newSecret(), at, at],
    );
    await indexFeedFilters(tx, id, input);
  });
  return (await findSubscription(db, id))!;
}

/** A subscription by id, whoever owns it (the dispatcher's view). */
export async function findSubscription(db: Queryable, id: string): Promise<Subscription | undefined> {
  const row = await db.get<Row>('SELECT * FROM webhooks WHERE id = ?', [id]);
  return row ? toSubscription(row) : undefined;
}

/** Whether a subscription is active now (the dispatcher asks again just before it sends). */
export async function isSubscriptionActive(db: Queryable, id: string): Promise<boolean> {
  const row = await db.get<{ is_active: number }>('SELECT is_active FROM webhooks WHERE id = ?', [id]);
  return row?.is_active === 1;
}

/** A subscription as its owner sees it: another key's id is indistinguishable from none. */
export async function ownedSubscription(db: Queryable, keyId: string, id: string): Promise<Subscription | undefined> {
  const row = await db.get<Row>('SELECT * FROM webhooks WHERE id = ? AND key_id = ?', [id, keyId]);
  return row ? toSubscription(row) : undefined;
}

/** Where a page of a key's subscriptions starts: after this (created_at, id). */
export interface SubscriptionCursor {
  created_at: string;
  id: string;
}

/**
 * A key's subscriptions in creation order, `limit` at a time, starting after `after`; `next` is
 * where the following page starts, null on the last page.
 */
export async function listSubscriptions(
  db: Queryable,
  keyId: string,
  page: { limit: number; after?: SubscriptionCursor } = { limit: Number.MAX_SAFE_INTEGER },
): Promise<{ subscriptions: Subscription[]; next: SubscriptionCursor | null }> {
  const rows = await db.all<Row>(
    `SELECT * FROM webhooks WHERE key_id = ? ${page.after ? 'AND (created_at, id) > (?, ?)' : ''} ORDER BY created_at, id LIMIT ?`,
    page.after ? [keyId, page.after.created_at, page.after.id, page.limit + 1] : [keyId, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const subscriptions = rows.slice(0, page.limit).map(toSubscription);
  const last = subscriptions.at(-1);
  return { subscriptions, next: more && last ? { created_at: last.created_at, id: last.id } : null };
}

/**
 * The subscriptions that count towards a key's plan cap: all but the ones its owner deleted
 * (a deleted one re-enabled with PATCH counts again). `except` leaves one out (the one a PATCH
 * is about to re-enable).
 */
export async function countHeldSubscriptions(db: Queryable, keyId: string, except?: string): Promise<number> {
  const row = await db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM webhooks WHERE key_id = ? AND (deleted_at IS NULL OR is_active = 1) AND id != ?',
    [keyId, except ?? ''],
  );
  return row?.n ?? 0;
}

/**
 * The subscriptions the outbox enqueues for, as a condition on `webhooks w`: active ones, and
 * ones the dispatcher disabled (their deliveries are kept and flow again on re-enable). Ones
 * their owner turned off, or whose key was revoked (no one can re-enable them), hear nothing.
 */
export const ENQUEUES_FOR = `(w.is_active = 1 OR (w.disabled_reason IS NOT NULL AND w.disabled_reason NOT LIKE 'user: %' AND w.disabled_reason NOT LIKE 'revoked: %'))`;

export type SubscriptionPatch = Partial<SubscriptionFilters & { url: string; is_active: boolean }>;

/**
 * Applies an owner's PATCH. `is_active: true` re-enables (also an auto-disabled one) and resets
 * the failure counter; `is_active: false` turns it off as the owner.
 */
export async function updateSubscription(
  db: Db | Queryable,
  sub: Subscription,
  patch: SubscriptionPatch,
  now: Date,
): Promise<Subscription> {
  const at = now.toISOString();
  const next = { ...sub, ...patch };
  let active = sub.is_active;
  let reason = sub.disabled_by ? `${sub.disabled_by}: ${sub.disabled_reason ?? ''}` : null;
  let disabledAt = sub.disabled_at;
  let failures = sub.consecutive_failures;
  if (patch.is_active === true) {
    active = true;
    reason = null;
    disabledAt = null;
    failures = 0;
  } else if (patch.is_active === false && sub.is_active) {
    active = false;
    reason = 'user: turned off by its owner';
    disabledAt = at;
  }
  await atomically(db, async (tx) => {
    await tx.run(
      `UPDATE webhooks SET url = ?, events = ?, jurisdiction_filter = ?, city = ?, state = ?, category = ?, zip_code = ?, near = ?,
         is_active = ?, disabled_reason = ?, disabled_at = ?, consecutive_failures = ?, updated_at = ? WHERE id = ?`,
      [...targetColumns(next), active ? 1 : 0, reason, disabledAt, failures, at, sub.id],
    );
    await indexFeedFilters(tx, sub.id, next);
  });
  return (await findSubscription(db, sub.id))!;
}

/** DELETE: soft-deactivation by the owner; the row and its delivery log are kept. */
export async function deactivateSubscription(db: Queryable, sub: Subscription, now: Date): Promise<void> {
  await db.run(
    `UPDATE webhooks SET is_active = 0, disabled_reason = 'user: deleted by its owner', disabled_at = ?, deleted_at = ?, updated_at = ? WHERE id = ?`,
    [now.toISOString(), now.toISOString(), now.toISOString(), sub.id],
  );
}

/** A new secret; the old one keeps signing alongside it until `now + overlapMs`. */
export async function rotateSecret(db: Queryable, sub: Subscription, now: Date, overlapMs: number): Promise<Subscription> {
  await db.run('UPDATE webhooks SET secret = ?, previous_secret = ?, previous_secret_expires_at = ?, updated_at = ? WHERE id = ?', [
    newSecret(),
    sub.secret,
    overlapMs > 0 ? now.getTime() + overlapMs : null,
    now.toISOString(),
    sub.id,
  ]);
  return (await findSubscription(db, sub.id))!;
}

/**
 * A key was revoked: every subscription it owns stops for good, as its owner can no longer
 * authenticate to turn them off (issue 16). Run it in the revocation's transaction where the
 * subscriptions share the key's database. Ones the owner deleted keep their reason.
 */
export async function disableKeySubscriptions(db: Queryable, keyId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const r = await db.run(
    `UPDATE webhooks SET is_active = 0, disabled_reason = 'revoked: its API key was revoked', disabled_at = ?, updated_at = ?
     WHERE key_id = ? AND (disabled_reason IS NULL OR disabled_reason NOT LIKE 'user: %')`,
    [at, at, keyId],
  );
  return r.changes;
}

/** The dispatcher turns a subscription off, saying why; its deliveries wait for a re-enable. */
export async function disableSubscription(
  db: Queryable,
  id: string,
  by: Exclude<DisabledBy, 'user'>,
  reason: string,
  now: Date,
): Promise<void> {
  await db.run('UPDATE webhooks SET is_active = 0, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE id = ? AND is_active = 1', [
    `${by}: ${reason}`,
    now.toISOString(),
    now.toISOString(),
    id,
  ]);
}
