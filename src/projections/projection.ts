import type { Queryable, SqlValue } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import type { Change } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';

/** What the projector works out once per event and hands to every projection. */
export interface ApplyContext {
  /** The stream's previous record, null for its first event. */
  prev: PermitRecord | null;
  /** diff(prev, record): the changes this observation made. */
  changes: Change[];
}

/** One event of a stream during a rebuild, with what the projector worked out for it. */
export interface ReplayStep {
  event: PermitObservedFacts;
  ctx: ApplyContext;
}

/**
 * The rows a projection holds for one stream, per table it owns: each row a list of values in
 * the table's column order, rows in the table's primary-key order.
 */
export type StreamRows = Record<string, SqlValue[][]>;

/**
 * The port every read model implements (DESIGN.md §5). A projection owns its tables; `apply`
 * must depend only on the event and the context (never the clock), so a rebuild reproduces
 * the tables byte for byte.
 */
export interface Projection {
  name: string;
  migrations: Migration[];
  /** Tables this projection owns: the rebuild replaces them, and the rebuild-equality proof compares them. */
  tables: string[];
  apply(event: PermitObservedFacts, ctx: ApplyContext, tx: Queryable): Promise<void>;
  /**
   * What `apply` leaves in the tables after every event of one stream, in version order, has
   * been applied to tables holding nothing of that stream. A pure fold: the rebuild writes its
   * rows once per stream instead of running `apply` per event, and the rebuild-equality test
   * holds the two to the same bytes. Required unless `replayOnRebuild` is false.
   */
  fold?(steps: readonly ReplayStep[]): StreamRows;
  /**
   * Whether a rebuild replays events through `apply`. The webhook outbox says false: a rebuild
   * moves its checkpoint to the head and never re-enqueues a delivery (DESIGN.md §8).
   */
  replayOnRebuild?: boolean;
}

/** The log holds an event a projection cannot apply: named with its position, never skipped. */
export class ProjectionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}
