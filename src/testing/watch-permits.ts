import { createPlaneProjector } from '../app.ts';
import type { Db } from '../db/db.ts';
import { permitStream } from '../events/permit-observed.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { watchOf } from '../projections/watchlist.ts';
import { createWatchWriter } from '../watchlist/write.ts';

/** The default catalog's projector: jurisdictions outside it are named by their slug in payloads. */
const writerFor = (db: Db) => createWatchWriter(db, createPlaneProjector(createCatalog()));

/**
 * Watches a permit for a key through the watch write path (a `watch.added` event, the watchlist
 * projection, the key's 'watch' visibility), as POST /watchlist does after its lookup. For tests
 * of the scheduler, which starts from watches that exist.
 */
export async function watchPermit(db: Db, keyId: string, jurisdiction: string, permitNumber: string, at = new Date()): Promise<string> {
  const target = { keyId, stream: permitStream(jurisdiction, permitNumber), jurisdiction, permitNumber };
  const added = await writerFor(db).add(target, { label: null, note: null }, at.toISOString(), { request_id: null });
  return added.watch.id;
}

/** Ends the key's watch of a permit through the same write path (`watch.removed`). */
export async function unwatchPermit(db: Db, keyId: string, jurisdiction: string, permitNumber: string, at = new Date()): Promise<void> {
  const watch = await watchOf(db, keyId, permitStream(jurisdiction, permitNumber));
  if (!watch) throw new Error(`${keyId} does not watch ${jurisdiction} ${permitNumber}`);
  await writerFor(db).remove(keyId, watch.id, at.toISOString(), { request_id: null });
}
