import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import { hashKey } from '../accounts/keys.ts';

/** 24 random bytes, base64url: as unguessable as an API key, and URL-safe for a calendar app. */
export const CALENDAR_TOKEN_BYTES = 24;

/**
 * One calendar token per key (issue 17 item 4): calendar apps cannot send headers, so the ICS feed
 * is fetched with `?token=`. The token grants that feed only and is looked up by its SHA-256; the
 * token itself is kept too, because GET /watchlist shows the feed's URL every time (like a
 * webhook's signing secret, it must be recoverable). It lives beside api_keys, in the accounts
 * database, and a revoked key's token answers nothing (the feed checks the key on every fetch).
 */
export const CALENDAR_TOKEN_MIGRATIONS: Migration[] = [
  {
    id: '0045_watchlist_calendar_tokens',
    sql: `CREATE TABLE calendar_tokens (
  key_id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  token TEXT NOT NULL,
  created_at TEXT NOT NULL
)`,
  },
];

/** The key's calendar token, made on first use; concurrent first uses agree on one. */
export async function calendarToken(db: Db, keyId: string, at: string): Promise<string> {
  const token = `cal_${randomBytes(CALENDAR_TOKEN_BYTES).toString('base64url')}`;
  await db.run('INSERT INTO calendar_tokens (key_id, token_hash, token, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(key_id) DO NOTHING', [
    keyId,
    hashKey(token),
    token,
    at,
  ]);
  const row = await db.get<{ token: string }>('SELECT token FROM calendar_tokens WHERE key_id = ?', [keyId]);
  return row!.token;
}

/** The key a calendar token belongs to, or undefined. */
export async function calendarTokenKey(db: Db, token: string): Promise<string | undefined> {
  const row = await db.get<{ key_id: string }>('SELECT key_id FROM calendar_tokens WHERE token_hash = ?', [hashKey(token)]);
  return row?.key_id;
}
