import type { Migration } from '../db/migrate.ts';

/**
 * The accounts' tables. Each migration's SQL is their only definition: api_keys' rows are read
 * as `KeyRow` (keys.ts). No query builder: drizzle-orm served this one table alone, with its
 * schema a hand-kept twin of this DDL and rows mapped through its proxy driver by column order;
 * every other table in the project is plain SQL behind the same db interface.
 */
export const ACCOUNTS_MIGRATIONS: Migration[] = [
  {
    id: '0040_accounts_api_keys',
    // Only a hash of the secret is stored; the key itself is shown once at creation. key_prefix:
    // the first characters of the key (`sk_live_ab12`), so a user can tell keys apart in a list.
    sql: `CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  plan TEXT NOT NULL,
  permissions TEXT NOT NULL,
  sandbox INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
)`,
  },
  {
    id: '0041_accounts_rate_counters',
    // subject: a key id, or `addr:<ip>` for anonymous demo callers; bucket: `m:2026-11`,
    // `b:2026-11-23T02:05`, `f:2026-11-23T02`, `h:2026-11-23T02`.
    sql: `CREATE TABLE rate_counters (
  subject TEXT NOT NULL,
  bucket TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (subject, bucket)
) WITHOUT ROWID`,
  },
];
