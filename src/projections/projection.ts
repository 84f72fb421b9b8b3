import type { Queryable, SqlValue } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import type { PermitObservedFacts } from '../events/decode.ts';
import type { WatchFacts } from '../events/watch.ts';
import type { Change } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';

/** A permit observation as every projection receives it, with what the projector works out once for all of them. */
export interface PermitProjected {
  event: PermitObservedFacts;
  /** The stream's previous record, null for its first event. */
  prev: PermitRecord | null;
  /** diff(prev, record): the changes this observation made. */
  changes: readonly Change[];
}

/** A watch event (events/watch.ts): no record, so nothing to diff. */
export interface WatchProjected {
  event: WatchFacts;
  prev: null;
  changes: readonly [];
}

/**
 * What `handle` receives. Switch on `e.event.type`: TypeScript narrows `e.event` there but not
 * `e`, so a permit branch hands on `e as PermitProjected`, which the case label proves.
 */
export type ProjectedEvent = PermitProjected | WatchProjected;

/**
 * Where a read model's `handle` writes: the projector's transaction during catch-up, the
 * rebuild's shadow-table writer during a rebuild. Write-only, so a rebuild can run the
 * statements on another thread while it decodes the next events.
 */
export interface ProjectionWrites {
  run(sql: string, params: SqlValue[]): Promise<unknown>;
}

/**
 * A table a read model derives wholly from its own other tables (the search model's FTS index
 * over `permit_search`). Catch-up keeps it in step row by row; a rebuild's copy (`into`) leaves
 * it out of `handle`, and the rebuild fills it with `fill` once after the replay, since one bulk
 * load costs less than one per batch (bench/README.md), as it builds secondary indexes after the load.
 */
export interface DeferredTable {
  table: string;
  /** The statement that fills the table from the others, under the names this copy of the model writes. */
  fill: string;
}

/**
 * A read model (DESIGN.md §5): owns its tables and folds batches of events into them. `handle`
 * gets a stream's events in version order, batch after batch, and must depend only on them
 * (never the clock), so a rebuild reproduces the tables byte for byte. Catch-up hands it events
 * in log order, a rebuild stream by stream: the same `handle` serves both.
 */
export interface ReadModel {
  rebuild: 'replay';
  name: string;
  migrations: Migration[];
  /** Tables this projection owns: the rebuild replaces them, and the rebuild-equality proof compares them. */
  tables: string[];
  /** Tables of `tables` a rebuild fills after the replay instead of through `handle`. */
  deferred?: readonly DeferredTable[];
  handle(events: readonly ProjectedEvent[], tx: ProjectionWrites): Promise<void>;
  /**
   * The same projection writing into renamed tables: a rebuild fills its shadow tables through
   * it. Its `handle` leaves the `deferred` tables alone: the rebuild fills them afterwards.
   */
  into(rename: (table: string) => string): ReadModel;
}

/**
 * A projection whose rows record what was done, not what the log says (the webhook outbox's
 * deliveries): a rebuild never replays it, since replay would re-send history; it only moves
 * its checkpoint to the head (DESIGN.md §8). Its handle may read (subscriptions are user data).
 */
export interface Reaction {
  rebuild: 'checkpoint-only';
  name: string;
  migrations: Migration[];
  handle(events: readonly ProjectedEvent[], tx: Queryable): Promise<void>;
}

export type Projection = ReadModel | Reaction;

/** The log holds an event a projection cannot apply: named with its position, never skipped. */
export class ProjectionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}
