import type { Db } from '../db/db.ts';
import type { Projector } from '../projections/projector.ts';
import { OBSERVE_BATCH_MAX, observe, observeMany, type ObserveInput, type ObserveResult } from './observe.ts';

export type Observer = (input: ObserveInput) => Promise<ObserveResult>;

/**
 * Group commit for observe(): an observation that arrives while another's transaction is in
 * flight waits for it and then shares the next transaction with everything else that arrived
 * meanwhile (up to OBSERVE_BATCH_MAX). One caller alone gets its own transaction at once, with
 * no added delay; many concurrent live lookups (a batch, a busy instance) pay one commit and
 * one projector catch-up between them. If a shared transaction fails, each of its observations
 * is retried alone, so one bad record fails only its own caller.
 */
export function createObserveQueue(db: Db, projector: Projector): Observer {
  let waiting: { input: ObserveInput; resolve: (r: ObserveResult) => void; reject: (err: unknown) => void }[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, OBSERVE_BATCH_MAX);
        waiting = waiting.slice(batch.length);
        if (batch.length === 1) {
          const [only] = batch;
          await observe(db, projector, only!.input).then(only!.resolve, only!.reject);
          continue;
        }
        try {
          const results = await observeMany(
            db,
            projector,
            batch.map((b) => b.input),
          );
          for (const [i, b] of batch.entries()) b.resolve(results[i]!);
        } catch {
          for (const b of batch) await observe(db, projector, b.input).then(b.resolve, b.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  return (input) =>
    new Promise<ObserveResult>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!draining) void drain();
    });
}
