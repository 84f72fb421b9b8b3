import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, createKey, listKeys, revokeKey } from '../src/accounts/keys.ts';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { appliedMigrations } from '../src/db/migrate.ts';
import { ALL_MIGRATIONS } from '../src/db/migrations.ts';

// The keys the previous version created in that file (test/data/README.md).
const KEPT = { key: 'sk_live_2nnioFo0ZinnKtnJ1cGWigUUgm4TqJNn', id: 'key_a1b524f667bc531d' };
const REVOKED = { key: 'sk_live_Y_pG16z-lusyJQXHmscCNSgS7ojnccOi', id: 'key_b132d7bf59c74f25' };

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-previous-'));
  const file = join(dir, 'live.db');
  writeFileSync(file, gunzipSync(readFileSync(new URL('./compat/previous-version-f604e86.db.gz', import.meta.url))));
  db = await openDatabase(`file:${file}`);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a database file written by the previous version (drizzle-orm era, f604e86)', () => {
  it('opens with every migration recorded, and its keys list, authenticate and revoke as before', async () => {
    expect(await appliedMigrations(db)).toEqual(ALL_MIGRATIONS.map((m) => m.id).sort());
    const keys = await listKeys(db);
    expect(keys.map((k) => [k.id, k.name, k.plan, k.permissions, k.sandbox, k.revoked_at])).toEqual([
      [REVOKED.id, 'revoked', 'free', ['read'], false, '2026-12-01T09:02:00.000Z'],
      [KEPT.id, 'kept', 'developer', ['read', 'admin'], false, null],
    ]);
    expect(await authenticate(db, KEPT.key)).toMatchObject({ ok: true, key: { id: KEPT.id, created_at: '2026-12-01T09:00:00.000Z' } });
    expect(await authenticate(db, REVOKED.key)).toEqual({ ok: false, reason: 'revoked' });
    expect(await revokeKey(db, KEPT.id, new Date('2026-12-06T00:00:00Z'))).toMatchObject({ ok: true });
    expect(await authenticate(db, KEPT.key)).toEqual({ ok: false, reason: 'revoked' });
    const { key } = await createKey(db, { name: 'new', plan: 'pro' });
    expect(await authenticate(db, key)).toMatchObject({ ok: true, key: { name: 'new' } });
  });

  it('keeps its event log and read models', async () => {
    expect(await db.get('SELECT stream, version, portal_status FROM permits')).toEqual({
      stream: 'permit/ladbs/16041-10000-23545',
      version: 1,
      portal_status: 'Issued on 7/6/2016',
    });
    expect(await db.get('SELECT COUNT(*) AS n FROM events')).toEqual({ n: 1 });
  });
});
