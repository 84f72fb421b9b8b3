import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db, Queryable } from '../db/db.ts';


/** Said beside a key wherever it is shown, the one time it is (API and CLI). */
export const KEY_SHOWN_ONCE_WARNING = 'Store the key securely. It will not be shown again.';

export const PERMISSIONS = ['read', 'write', 'admin'] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

/** 24 random bytes = 192 bits, base64url: unguessable and URL/header safe. */
export const KEY_SECRET_BYTES = 24;
/** Characters of the key kept in clear for display (`sk_live_` plus four). */
export const KEY_PREFIX_LENGTH = 12;
export const KEY_NAME_MAX = 100;
/** Keys whose lookups are kept in memory: more than any instance issues, bounded against floods. */
export const KEY_CACHE_MAX = 10_000;
/** Read-cache topic of authentication results, keyed by the key's hash. */
const BY_HASH = 'api_keys.hash';

export interface ApiKey {
  id: string;
  name: string;
  key_prefix: string;
  plan: string;
  permissions: Permission[];
  sandbox: boolean;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

// crypto.hash (Node ≥ 20.12) is a one-shot digest, about 4× cheaper than a Hash object for a
// short key, and every authenticated request hashes one; runtimes without it use createHash.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** SHA-256 of the full key. Keys are high-entropy random strings, so a fast hash is enough (no password stretching needed). */
export function hashKey(key: string): string {
  return oneShotHash ? oneShotHash('sha256', key, 'hex') : createHash('sha256').update(key).digest('hex');
}

/** A row of api_keys (accounts/tables.ts). */
interface KeyRow {
  id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  plan: string;
  /** Comma-separated Permission values. */
  permissions: string;
  sandbox: 0 | 1;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const COLUMNS = [
  'id',
  'name',
  'key_hash',
  'key_prefix',
  'plan',
  'permissions',
  'sandbox',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const satisfies readonly (keyof KeyRow)[];
const KEY_COLUMNS = COLUMNS.join(', ');

function toApiKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    key_prefix: row.key_prefix,
    plan: row.plan,
    permissions: row.permissions.split(',').filter(Boolean) as Permission[],
    sandbox: row.sandbox === 1,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
  };
}

export interface CreateKeyInput {
  name: string;
  plan: string;
  permissions?: Permission[];
  sandbox?: boolean;
}

/** Creates a key and returns it with its secret, the only time the secret exists in clear. */
export async function createKey(db: Db, input: CreateKeyInput, now: Date = new Date()): Promise<{ key: string; record: ApiKey }> {
  const key = `${input.sandbox ? 'sk_test_' : 'sk_live_'}${randomBytes(KEY_SECRET_BYTES).toString('base64url')}`;
  const row: KeyRow = {
    id: `key_${randomBytes(8).toString('hex')}`,
    name: input.name,
    key_hash: hashKey(key),
    key_prefix: key.slice(0, KEY_PREFIX_LENGTH),
    plan: input.plan,
    permissions: [...new Set(input.permissions ?? ['read'])].join(','),
    sandbox: input.sandbox ? 1 : 0,
    created_at: now.toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await db.run(
    `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    COLUMNS.map((c) => row[c]),
  );
  db.caches.invalidate(BY_HASH, [row.key_hash]);
  return { key, record: toApiKey(row) };
}

/**
 * The keys an admin key manages. There is no account above keys (a key is the tenant), so the
 * boundary is the data plane: a live admin key manages every key, a sandbox (`sk_test_`) admin
 * key manages sandbox keys only, and a live key is to it as if it did not exist.
 */
export type KeyScope = 'every_key' | 'sandbox_keys';

/** The scope an admin key manages (see KeyScope). */
export function managedScope(key: Pick<ApiKey, 'sandbox'>): KeyScope {
  return key.sandbox ? 'sandbox_keys' : 'every_key';
}

export function inScope(scope: KeyScope, key: Pick<ApiKey, 'sandbox'>): boolean {
  return scope === 'every_key' || key.sandbox;
}

export async function listKeys(db: Db, scope: KeyScope = 'every_key'): Promise<ApiKey[]> {
  const where = scope === 'sandbox_keys' ? 'WHERE sandbox = 1' : '';
  const rows = await db.all<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ${where} ORDER BY created_at DESC, id`);
  return rows.map(toApiKey);
}

/** One key by id within a scope; a key outside it is `undefined`, like an unknown id. */
export async function findKey(db: Db, id: string, scope: KeyScope = 'every_key'): Promise<ApiKey | undefined> {
  const row = await db.get<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`, [id]);
  const key = row ? toApiKey(row) : undefined;
  return key && inScope(scope, key) ? key : undefined;
}

export type RevokeResult = { ok: true; key: ApiKey } | { ok: false; reason: 'not_found' | 'already_revoked' };

export interface RevokeOptions {
  /** The revoking admin's scope: a key outside it is `not_found`. */
  scope?: KeyScope;
  /** Runs in the revocation's transaction (the key's webhooks are disabled there: issue 16). */
  alsoInTransaction?: (tx: Queryable, key: ApiKey) => Promise<void>;
}

/** Revokes a key in one transaction, with whatever `alsoInTransaction` must change with it. */
export async function revokeKey(db: Db, id: string, now: Date = new Date(), options: RevokeOptions = {}): Promise<RevokeResult> {
  const at = now.toISOString();
  const result = await db.transaction(async (tx): Promise<RevokeResult & { hash?: string }> => {
    const row = await tx.get<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`, [id]);
    if (!row || !inScope(options.scope ?? 'every_key', toApiKey(row))) return { ok: false, reason: 'not_found' };
    if (row.revoked_at) return { ok: false, reason: 'already_revoked' };
    await tx.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
    const key = toApiKey({ ...row, revoked_at: at });
    await options.alsoInTransaction?.(tx, key);
    return { ok: true, key, hash: row.key_hash };
  });
  // Committed: the cached authentication of this key is dropped.
  if (!result.ok) return result;
  db.caches.invalidate(BY_HASH, [result.hash!]);
  return { ok: true, key: result.key };
}

export type AuthResult = { ok: true; key: ApiKey } | { ok: false; reason: 'unknown' | 'revoked' };

/**
 * Finds the key a request presents. The hash is looked up by index, then compared in constant
 * time so response timing does not reveal how much of a hash matched.
 */
export function authenticate(db: Db, presented: string): Promise<AuthResult> {
  return authenticateHash(db, hashKey(presented));
}

async function authenticateHash(db: Db, hash: string): Promise<AuthResult> {
  const row = await db.get<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = ?`, [hash]);
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  return { ok: true, key: toApiKey(row) };
}

/** Records that a key was used (a hint for its owner, not a log). */
export async function markKeyUsed(db: Db, id: string, at: Date): Promise<void> {
  const row = await db.transaction((tx) =>
    tx.get<{ key_hash: string }>('UPDATE api_keys SET last_used_at = ? WHERE id = ? RETURNING key_hash', [at.toISOString(), id]),
  );
  if (row) db.caches.invalidate(BY_HASH, [row.key_hash]);
}

/**
 * `authenticate` with the result kept in memory by the key's hash (Db.caches), so a known key
 * costs one SHA-256 and a map lookup, and the plaintext key is never held past its request.
 * createKey, revokeKey and markKeyUsed in this process invalidate the key's entry at once;
 * another process's change (the CLI revoking a key) is seen within EXTERNAL_CHANGE_CHECK_MS.
 * Unknown keys are not kept: a flood of random keys cannot push out real ones.
 */
export function createAuthenticator(db: Db): (presented: string) => Promise<AuthResult> {
  const cache = db.caches.create<AuthResult>(BY_HASH, {
    max: KEY_CACHE_MAX,
    keep: (r) => r.ok || r.reason === 'revoked',
  });
  return (presented) => {
    const hash = hashKey(presented);
    return cache.get(hash, () => authenticateHash(db, hash));
  };
}
