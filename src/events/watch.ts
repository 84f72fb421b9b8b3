import { z } from 'zod';

/**
 * A watch is a fact (issue 17): a key asked to follow a permit. Each watch is its own stream,
 * `watch/<watch_id>`, so adding, relabelling and removing it are appended with the store's
 * expected-version check, and the watchlist projection is a fold over them like every read model.
 */
export const WATCH_ADDED = 'watch.added';
export const WATCH_UPDATED = 'watch.updated';
export const WATCH_REMOVED = 'watch.removed';
export const WATCH_EVENT_TYPES = [WATCH_ADDED, WATCH_UPDATED, WATCH_REMOVED] as const;
export type WatchEventType = (typeof WATCH_EVENT_TYPES)[number];

/** Bump with an upcaster when a watch payload's shape changes; one version for the three types. */
export const WATCH_SCHEMA_VERSION = 1;

/** Longest label and note a watch keeps: a CRM's short text field, not a document. */
export const WATCH_LABEL_MAX = 200;
export const WATCH_NOTE_MAX = 2_000;

/** What the watch is of: the permit's stream and its two names, copied so no reader joins for them. */
const WatchedPermit = {
  watch_id: z.string(),
  key_id: z.string(),
  stream: z.string().describe('the watched permit: permit/<jurisdiction>/<permit_number>'),
  jurisdiction: z.string(),
  permit_number: z.string(),
};

/** `at` is when the key asked (the request's clock), so a rebuild needs no clock of its own. */
export const WatchAddedData = z.object({
  ...WatchedPermit,
  label: z.string().max(WATCH_LABEL_MAX).nullable(),
  note: z.string().max(WATCH_NOTE_MAX).nullable(),
  at: z.iso.datetime(),
});
export type WatchAddedData = z.infer<typeof WatchAddedData>;

/** The label and note after the change, both: a fold needs no earlier event to apply it. */
export const WatchUpdatedData = z.object({
  label: z.string().max(WATCH_LABEL_MAX).nullable(),
  note: z.string().max(WATCH_NOTE_MAX).nullable(),
  at: z.iso.datetime(),
});
export type WatchUpdatedData = z.infer<typeof WatchUpdatedData>;

/** Names the permit again, so the unwatch webhook is built from this event alone. */
export const WatchRemovedData = z.object({ ...WatchedPermit, at: z.iso.datetime() });
export type WatchRemovedData = z.infer<typeof WatchRemovedData>;

export const WatchMeta = z.object({ request_id: z.string().nullable() });
export type WatchMeta = z.infer<typeof WatchMeta>;

export const WATCH_DATA_SCHEMAS = {
  [WATCH_ADDED]: WatchAddedData,
  [WATCH_UPDATED]: WatchUpdatedData,
  [WATCH_REMOVED]: WatchRemovedData,
} as const satisfies Record<WatchEventType, z.ZodType>;

/** A decoded watch event, as projections receive it. */
export type WatchFacts =
  | { position: number; stream: string; version: number; type: typeof WATCH_ADDED; data: WatchAddedData }
  | { position: number; stream: string; version: number; type: typeof WATCH_UPDATED; data: WatchUpdatedData }
  | { position: number; stream: string; version: number; type: typeof WATCH_REMOVED; data: WatchRemovedData };

/** `watch/<watch_id>`. */
export function watchStream(watchId: string): string {
  return `watch/${watchId}`;
}

export function isWatchEventType(type: string): type is WatchEventType {
  return (WATCH_EVENT_TYPES as readonly string[]).includes(type);
}
