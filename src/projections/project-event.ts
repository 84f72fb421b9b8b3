import type { LoggedFacts } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { diff } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';
import type { ProjectedEvent } from './projection.ts';

/**
 * A decoded event as projections receive it, for catch-up and rebuild alike: an observation with
 * its stream's previous record and diff(); a watch event as it is (it has no record to diff).
 * `prev` is the stream's previous record, null for its first event and for watch streams.
 */
export function projectEvent(event: LoggedFacts, prev: PermitRecord | null): ProjectedEvent {
  switch (event.type) {
    case PERMIT_OBSERVED:
      return { event, prev, changes: diff(prev, event.data.record) };
    case WATCH_ADDED:
    case WATCH_UPDATED:
    case WATCH_REMOVED:
      return { event, prev: null, changes: [] };
    default:
      return assertUnreachable(event, 'event type');
  }
}
