import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Migration } from '../db/migrate.ts';

/** API keys: only a hash of the secret is stored; the key itself is shown once at creation. */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  key_hash: text('key_hash').notNull().unique(),
  /** First characters of the key (`sk_live_ab12…`), so a user can tell keys apart in a list. */
  key_prefix: text('key_prefix').notNull(),
  plan: text('plan').notNull(),
  permissions: text('permissions').notNull(),
  sandbox: integer('sandbox').notNull(),
  created_at: text('created_at').notNull(),
  last_used_at: text('last_used_at'),
  revoked_at: text('revoked_at'),
});

export const ACCOUNTS_MIGRATIONS: Migration[] = [
  {
    id: '0040_accounts_api_keys',
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
