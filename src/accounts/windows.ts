/**
 * The calendar windows limits are counted in, all UTC (reference: "monthly billing cycle",
 * resets at the start of the month). Pure: the clock is the caller's.
 */
export function monthWindow(nowMs: number): { id: string; resetsAtIso: string } {
  const ids = minuteIds(nowMs);
  return { id: ids.monthId, resetsAtIso: ids.monthResetsAtIso };
}

/** A fixed one-minute window: its id and the whole seconds until the next one starts (≥ 1). */
export function minuteWindow(nowMs: number): { id: string; retryAfterSeconds: number } {
  const ids = minuteIds(nowMs);
  return { id: ids.minuteId, retryAfterSeconds: Math.max(1, Math.ceil((ids.start + 60_000 - nowMs) / 1000)) };
}

interface MinuteIds {
  start: number;
  minuteId: string;
  monthId: string;
  monthResetsAtIso: string;
}
let lastMinute: MinuteIds | undefined;

/**
 * The window ids of the minute `nowMs` falls in, formatted once per minute rather than on every
 * metered request (Date formatting is a visible share of a cached lookup; bench/README.md).
 * Module-level on purpose, unlike the app's caches (issue 15): it is a one-entry memo of a pure
 * function of `nowMs`, so it holds nothing an app instance, a tenant or a test could see differ.
 */
function minuteIds(nowMs: number): MinuteIds {
  const start = Math.floor(nowMs / 60_000) * 60_000;
  if (lastMinute?.start === start) return lastMinute;
  const d = new Date(start);
  lastMinute = {
    start,
    minuteId: d.toISOString().slice(0, 16),
    monthId: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
    monthResetsAtIso: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString(),
  };
  return lastMinute;
}

/** A call counted in a minute bucket stops counting 61 minutes after the minute began. */
const ROLLING_HOUR_BUCKET_MS = 61 * 60_000;
/** A call counted in an hour bucket stops counting 24 hours after the hour began. */
const ROLLING_DAY_BUCKET_MS = 24 * 3_600_000;

/**
 * Minute buckets of a rolling hour (force_refresh: at most N in any hour, issue 21 defect 3):
 * the current one and the oldest still counted. A call is counted for at least an hour and at
 * most 61 minutes (its minute's start + 61 min), never less, so no 60 minutes ever hold more than N.
 */
export function rollingHourBuckets(nowMs: number): { current: string; oldest: string } {
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  return { current: new Date(minute).toISOString().slice(0, 16), oldest: new Date(minute - 60 * 60_000).toISOString().slice(0, 16) };
}

/** When the calls of minute bucket `id` (`YYYY-MM-DDTHH:MM`) stop counting in the rolling hour. */
export function minuteBucketFreesAt(id: string): number {
  return Date.parse(`${id}:00Z`) + ROLLING_HOUR_BUCKET_MS;
}

/** When the calls of hour bucket `id` (`YYYY-MM-DDTHH`) stop counting in the rolling day. */
export function hourBucketFreesAt(id: string): number {
  return Date.parse(`${id}:00:00Z`) + ROLLING_DAY_BUCKET_MS;
}

/** Whole seconds from `nowMs` until `atMs`, at least 1 (a Retry-After of 0 invites a busy loop). */
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000));
}

/** Hour buckets of a rolling 24-hour window: the current one and the oldest still counted. */
export function rollingDayBuckets(nowMs: number): { current: string; oldest: string } {
  const hour = Math.floor(nowMs / 3_600_000) * 3_600_000;
  return { current: new Date(hour).toISOString().slice(0, 13), oldest: new Date(hour - 23 * 3_600_000).toISOString().slice(0, 13) };
}
