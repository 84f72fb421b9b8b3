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
 * metered request (they were a few µs of each cached lookup). Still a function of `nowMs` only.
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

/** A fixed one-hour window (force_refresh: at most N per hour). */
export function hourWindow(nowMs: number): { id: string; retryAfterSeconds: number } {
  const start = Math.floor(nowMs / 3_600_000) * 3_600_000;
  return { id: new Date(start).toISOString().slice(0, 13), retryAfterSeconds: Math.max(1, Math.ceil((start + 3_600_000 - nowMs) / 1000)) };
}

/** Hour buckets of a rolling 24-hour window: the current one and the oldest still counted. */
export function rollingDayBuckets(nowMs: number): { current: string; oldest: string; resetsAt: Date } {
  const hour = Math.floor(nowMs / 3_600_000) * 3_600_000;
  const oldest = hour - 23 * 3_600_000;
  return {
    current: new Date(hour).toISOString().slice(0, 13),
    oldest: new Date(oldest).toISOString().slice(0, 13),
    // When the oldest counted hour drops out of the window.
    resetsAt: new Date(oldest + 24 * 3_600_000),
  };
}
