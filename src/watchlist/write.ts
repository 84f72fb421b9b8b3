import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import {
  WATCH_ADDED,
  WATCH_REMOVED,
  WATCH_SCHEMA_VERSION,
  WATCH_UPDATED,
  watchStream,
  type WatchAddedData,
  type WatchMeta,
  type WatchRemovedData,
  type WatchUpdatedData,
} from '../events/watch.ts';
import type { Projector } from '../projections/projector.ts';
import { ownedWatch, watchOf, type WatchRow } from '../projections/watchlist.ts';
import { append } from '../store/append.ts';
import { readLastDataField } from '../store/read.ts';
import { markSeen, unmarkSeen } from '../webhooks/visibility.ts';

/** 8 random bytes as hex: ids are per key and few, and never a secret (the key guards them). */
export const WATCH_ID_BYTES = 8;

export interface WatchTarget {
  keyId: string;
  /** The permit's stream, `permit/<jurisdiction>/<permit_number>`. */
  stream: string;
  jurisdiction: string;
  permitNumber: string;
}

export type AddWatchResult = { created: true; watch: WatchRow } | { created: false; watch: WatchRow };
export type ChangeWatchResult = { ok: true; watch: WatchRow } | { ok: false; reason: 'watch_not_found' };

/** What a watch id looks like (`wat_` and hex): a path segment matching it names a watch, not a permit. */
export const WATCH_ID_PATTERN = /^wat_[0-9a-f]{1,64}$/;

const newWatchId = () => `wat_${randomBytes(WATCH_ID_BYTES).toString('hex')}`;

/**
 * The write path of watches (issue 17): each change is an event appended to the watch's own
 * stream with the expected version, the projections (the watchlist, the webhook outbox) catch up
 * in the same transaction, and the key's 'watch' visibility row (webhooks/visibility.ts) is
 * written or removed there too, so its webhooks hear about the watched permit from the commit on.
 * The transaction is BEGIN IMMEDIATE, so "does this key already watch it" and the append are
 * atomic across processes.
 */
export function createWatchWriter(db: Db, projector: Projector) {
  return {
    /** Watches a permit for a key; the key's existing watch of it is returned as it is. */
    add(target: WatchTarget, fields: { label: string | null; note: string | null }, at: string, meta: WatchMeta): Promise<AddWatchResult> {
      return db.transaction(async (tx) => {
        const existing = await watchOf(tx, target.keyId, target.stream);
        if (existing) return { created: false, watch: existing };
        const id = newWatchId();
        const data: WatchAddedData = {
          watch_id: id,
          key_id: target.keyId,
          stream: target.stream,
          jurisdiction: target.jurisdiction,
          permit_number: target.permitNumber,
          label: fields.label,
          note: fields.note,
          at,
        };
        await appendOrThrow(tx, watchStream(id), 0, WATCH_ADDED, data, meta, at);
        await markSeen(tx, target.keyId, target.stream, 'watch', at);
        await projector.catchUp(tx);
        return { created: true, watch: (await ownedWatch(tx, target.keyId, id))! };
      });
    },

    /** Changes the label or note of one of the key's watches; a field left out keeps its value, null clears it. */
    update(
      keyId: string,
      id: string,
      fields: { label?: string | null; note?: string | null },
      at: string,
      meta: WatchMeta,
    ): Promise<ChangeWatchResult> {
      return db.transaction(async (tx) => {
        const watch = await ownedWatch(tx, keyId, id);
        if (!watch) return { ok: false, reason: 'watch_not_found' };
        const data: WatchUpdatedData = {
          label: fields.label === undefined ? watch.label : fields.label,
          note: fields.note === undefined ? watch.note : fields.note,
          at,
        };
        await appendOrThrow(tx, watchStream(id), await streamVersion(tx, watchStream(id)), WATCH_UPDATED, data, meta, at);
        await projector.catchUp(tx);
        return { ok: true, watch: (await ownedWatch(tx, keyId, id))! };
      });
    },

    /** Ends one of the key's watches; its 'watch' visibility goes with it (a lookup's stays). */
    remove(keyId: string, id: string, at: string, meta: WatchMeta): Promise<ChangeWatchResult> {
      return db.transaction(async (tx) => {
        const watch = await ownedWatch(tx, keyId, id);
        if (!watch) return { ok: false, reason: 'watch_not_found' };
        const data: WatchRemovedData = {
          watch_id: id,
          key_id: keyId,
          stream: watch.stream,
          jurisdiction: watch.jurisdiction,
          permit_number: watch.permit_number,
          at,
        };
        await appendOrThrow(tx, watchStream(id), await streamVersion(tx, watchStream(id)), WATCH_REMOVED, data, meta, at);
        await unmarkSeen(tx, keyId, watch.stream, 'watch');
        await projector.catchUp(tx);
        return { ok: true, watch };
      });
    },
  };
}

export type WatchWriter = ReturnType<typeof createWatchWriter>;

/** The watch stream's current version (its last event's). */
async function streamVersion(tx: Queryable, stream: string): Promise<number> {
  return (await readLastDataField(tx, stream, '$.at'))?.version ?? 0;
}

/**
 * Appends one watch event. The version was read inside this same IMMEDIATE transaction, so a
 * conflict means the log is not what this process believes: a bug, thrown, never swallowed.
 */
async function appendOrThrow(tx: Queryable, stream: string, expected: number, type: string, data: unknown, meta: WatchMeta, at: string) {
  const result = await append(tx, stream, expected, [{ type, schema_version: WATCH_SCHEMA_VERSION, data, meta }], at);
  if (!result.ok) throw new Error(`${stream}: expected version ${result.expected}, found ${result.actual}`);
}
