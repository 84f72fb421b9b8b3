import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { applyMigrations } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { authenticate, createAuthenticator, createKey, findKey, hashKey, listKeys, markKeyUsed, revokeKey } from './keys.ts';
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

  it('keeps a sandbox scope to sandbox keys: a live key is not found in it', async () => {
    const live = await createKey(db, { name: 'live', plan: 'pro' });
    const sandbox = await createKey(db, { name: 'sb', plan: 'free', sandbox: true });
    expect((await listKeys(db, 'sandbox_keys')).map((k) => k.id)).toEqual([sandbox.record.id]);
    expect(await findKey(db, live.record.id, 'sandbox_keys')).toBeUndefined();
    expect(await revokeKey(db, live.record.id, new Date(), { scope: 'sandbox_keys' })).toEqual({ ok: false, reason: 'not_found' });
    expect((await authenticate(db, live.key)).ok).toBe(true);
    expect((await revokeKey(db, sandbox.record.id, new Date(), { scope: 'sandbox_keys' })).ok).toBe(true);
  });

  it('rolls the revocation back when what must change with it fails', async () => {
    const { key, record } = await createKey(db, { name: 'r', plan: 'pro' });
    const failing = async () => {
      throw new Error('webhooks table unavailable');
    };
    await expect(revokeKey(db, record.id, new Date(), { alsoInTransaction: failing })).rejects.toThrow(/unavailable/);
    expect((await authenticate(db, key)).ok).toBe(true);
  });
});

describe('createAuthenticator', () => {
  let temp: TempDatabase;
  beforeEach(async () => {
    temp = await openTempDatabase('keys');
  });
  afterEach(() => temp.close());

  it('keeps a known key by its hash until this process revokes or uses it', async () => {
    const { db } = temp;
    const authenticateCached = createAuthenticator(db);
    const { key, record } = await createKey(db, { name: 'ci', plan: 'developer' });
    expect(await authenticateCached(key)).toEqual({ ok: true, key: record });
    // A write that bypasses the write path is not seen: the answer comes from memory.
    await db.run("UPDATE api_keys SET plan = 'pro' WHERE id = ?", [record.id]);
    expect(await authenticateCached(key)).toMatchObject({ ok: true, key: { plan: 'developer' } });
    // markKeyUsed and revokeKey know the key only by id and stored hash: their invalidation
    // reaching the entry shows it is kept by hash, not by the key presented.
    await markKeyUsed(db, record.id, new Date('2026-12-06T10:00:00Z'));
    expect(await authenticateCached(key)).toMatchObject({ ok: true, key: { plan: 'pro', last_used_at: '2026-12-06T10:00:00.000Z' } });
    expect((await revokeKey(db, record.id)).ok).toBe(true);
    expect(await authenticateCached(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('does not keep unknown keys, so a key created afterwards authenticates', async () => {
    const { db } = temp;
    const authenticateCached = createAuthenticator(db);
    expect(await authenticateCached('sk_live_nope')).toEqual({ ok: false, reason: 'unknown' });
    const { key } = await createKey(db, { name: 'later', plan: 'free' });
    expect((await authenticateCached(key)).ok).toBe(true);
  });
});
