import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { applyMigrations } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { authenticate, createKey, hashKey, listKeys, revokeKey } from './keys.ts';
import { ACCOUNTS_MIGRATIONS } from './tables.ts';

let db: Db;
beforeEach(async () => {
  db = openDb(':memory:');
  await applyMigrations(db, ACCOUNTS_MIGRATIONS);
});
afterEach(() => db.close());

describe('api keys', () => {
  it('stores only a hash and authenticates the key shown once', async () => {
    const { key, record } = await createKey(db, { name: 'ci', plan: 'developer' });
    expect(key).toMatch(/^sk_live_[A-Za-z0-9_-]{32}$/);
    const stored = await db.all('SELECT * FROM api_keys');
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(stored[0]).toMatchObject({ key_hash: hashKey(key), key_prefix: key.slice(0, 12) });
    expect(await authenticate(db, key)).toEqual({ ok: true, key: record });
    expect(await authenticate(db, `${key}x`)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('makes sandbox keys with sk_test_ and defaults permissions to read', async () => {
    const { key, record } = await createKey(db, { name: 's', plan: 'free', sandbox: true });
    expect(key.startsWith('sk_test_')).toBe(true);
    expect(record).toMatchObject({ sandbox: true, permissions: ['read'] });
  });

  it('revokes: the key no longer authenticates, a second revoke says so', async () => {
    const { key, record } = await createKey(db, { name: 'r', plan: 'pro', permissions: ['read', 'admin'] });
    expect((await revokeKey(db, record.id)).ok).toBe(true);
    expect(await authenticate(db, key)).toEqual({ ok: false, reason: 'revoked' });
    expect(await revokeKey(db, record.id)).toEqual({ ok: false, reason: 'already_revoked' });
    expect(await revokeKey(db, 'key_nope')).toEqual({ ok: false, reason: 'not_found' });
    expect((await listKeys(db))[0]).toMatchObject({ id: record.id, permissions: ['read', 'admin'] });
  });
});
