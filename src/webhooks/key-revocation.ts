import { revokeKey, type KeyScope, type RevokeResult } from '../accounts/keys.ts';
import type { Db } from '../db/db.ts';
import { disableKeySubscriptions } from './subscriptions.ts';

/**
 * Revokes a key and stops its webhooks (issue 16: a revoked key's subscriptions kept delivering
 * and its owner could no longer turn them off). A live key's subscriptions live in the live
 * database, which also holds the keys: they are disabled in the revocation's transaction. A
 * sandbox key's live in the demo database: they are disabled right after the revocation
 * commits, since one transaction cannot span two databases.
 */
export async function revokeKeyAndWebhooks(input: {
  /** The live plane's database, which holds the keys. */
  accountsDb: Db;
  /** The demo plane's database, where sandbox keys' subscriptions are (absent when demo is off). */
  demoDb?: Db;
  id: string;
  now: Date;
  scope?: KeyScope;
}): Promise<RevokeResult> {
  const result = await revokeKey(input.accountsDb, input.id, input.now, {
    scope: input.scope,
    alsoInTransaction: async (tx, key) => {
      if (!key.sandbox) await disableKeySubscriptions(tx, key.id, input.now);
    },
  });
  if (result.ok && result.key.sandbox && input.demoDb) await disableKeySubscriptions(input.demoDb, result.key.id, input.now);
  return result;
}
