import type { ProjectedEvent } from './projection.ts';

/** A stream's first and last event within one batch. */
export interface StreamSpan {
  first: ProjectedEvent;
  last: ProjectedEvent;
}

/**
 * Notes `e` in its stream's span. A batch holds each stream's events in version order, so the
 * last noted is the stream's latest: what a one-row-per-stream table keeps of the batch.
 */
export function extendSpan(spans: Map<string, StreamSpan>, e: ProjectedEvent): void {
  const span = spans.get(e.event.stream);
  if (span) span.last = e;
  else spans.set(e.event.stream, { first: e, last: e });
}
