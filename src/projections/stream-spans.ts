import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { PermitProjected, ProjectedEvent } from './projection.ts';

/** A stream's first and last event within one batch. */
export interface StreamSpan {
  first: PermitProjected;
  last: PermitProjected;
}

/**
 * Notes `e` in its stream's span. A batch holds each stream's events in version order, so the
 * last noted is the stream's latest: what a one-row-per-stream table keeps of the batch.
 */
export function extendSpan(spans: Map<string, StreamSpan>, e: PermitProjected): void {
  const span = spans.get(e.event.stream);
  if (span) span.last = e;
  else spans.set(e.event.stream, { first: e, last: e });
}

/**
 * Each permit stream's first and last event in a batch: what the one-row-per-stream read models
 * (permits, stats, inspections) fold a batch into; watch events are not theirs. Switches on the event type, so a new type
 * must be decided here for all of them at once.
 */
export function streamSpans(events: readonly ProjectedEvent[]): Map<string, StreamSpan> {
  const spans = new Map<string, StreamSpan>();
  for (const e of events) {
    switch (e.event.type) {
      case PERMIT_OBSERVED:
        extendSpan(spans, e as PermitProjected);
        break;
      case WATCH_ADDED:
      case WATCH_UPDATED:
      case WATCH_REMOVED:
        // A watch changes no permit's record.
        break;
      default:
        assertUnreachable(e.event, 'event type');
    }
  }
  return spans;
}
