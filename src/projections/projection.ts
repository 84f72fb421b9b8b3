import type { Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import type { PermitObserved } from '../events/decode.ts';
import type { Change } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';

/** What the projector works out once per event and hands to every projection. */
export interface ApplyContext {
  /** The stream's previous record, null for its first event. */
  prev: PermitRecord | null;
  /** diff(prev, record): the changes this observation made. */
  changes: Change[];
}

/**
 * The port every read model implements (DESIGN.md §5). A projection owns its tables; `apply`
 * must depend only on the event and the context (never the clock), so a rebuild reproduces
 * the tables byte for byte.
 */
export interface Projection {
  name: string;
  migrations: Migration[];
  /** Tables this projection owns, for truncate and for the rebuild-equality proof. */
  tables: string[];
  apply(event: PermitObserved, ctx: ApplyContext, tx: Queryable): Promise<void>;
  truncate(tx: Queryable): Promise<void>;
  /**
   * Whether a rebuild replays events through `apply`. The webhook outbox says false: a rebuild
   * moves its checkpoint to the head and never re-enqueues a delivery (DESIGN.md §8).
   */
  replayOnRebuild?: boolean;
}
