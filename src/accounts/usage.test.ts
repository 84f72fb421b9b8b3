import Database from 'libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { openEmbedded } from '../db/embedded.ts';
import { applyMigrations } from '../db/migrate.ts';
import { ALL_MIGRATIONS } from '../db/migrations.ts';
import { createUsageRecorder } from './usage.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('usage recorder', () => {
  it('counts each request under its UTC day, across midnight and back', async () => {
    db = await openDatabase(':memory:');
    const usage = createUsageRecorder(db);
    const at = (iso: string) => Date.parse(iso);
    const endpoint = 'GET /api/v1/permits/:permit_number/status';
    usage.record({ subject: 'k1', endpoint, status: 200, at: at('2026-12-04T23:59:59.999Z') });
    usage.record({ subject: 'k1', endpoint, status: 404, at: at('2026-12-05T00:00:00.000Z') });
    usage.record({ subject: 'k1', endpoint, status: 200, at: at('2026-12-05T13:00:00.000Z') });
    // A clock stepped back (NTP) still lands on the right day. A 5xx is an error, not a
    // charged request (issue 21, defect 4).
    usage.record({ subject: 'k1', endpoint, status: 500, at: at('2026-12-04T12:00:00.000Z') });
    usage.record({ subject: 'k1', endpoint, status: 429, at: at('2026-12-04T12:00:01.000Z') });
    await usage.close();
    expect(await db.all('SELECT day, requests, errors FROM usage_daily ORDER BY day')).toEqual([
      { day: '2026-12-04', requests: 2, errors: 2 },
      { day: '2026-12-05', requests: 2, errors: 1 },
    ]);
  });
});

describe('usage recorder against a locked database', () => {
  it('keeps the rows of a flush that failed and writes them with the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-usage-'));
    const file = join(dir, 'usage.db');
    // A short busy timeout stands in for a lock held past the real one (issue 16: a 12 s lock dropped rows).
    db = openEmbedded(`file:${file}`, { busyTimeoutMs: 100 });
    await applyMigrations(db, ALL_MIGRATIONS);
    const errors: unknown[] = [];
    const usage = createUsageRecorder(db, { flushMs: 60_000, onError: (err) => errors.push(err) });
    const endpoint = 'GET /api/v1/permits/:permit_number/status';
    const at = Date.parse('2026-12-05T10:00:00Z');
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      usage.record({ subject: 'k1', endpoint, status: 200, at });
      usage.record({ subject: 'k1', endpoint, status: 500, at });
      await usage.flush();
      expect(errors).toHaveLength(1);
      other.exec('ROLLBACK');
      usage.record({ subject: 'k1', endpoint, status: 200, at });
      await usage.close();
      expect(await db.all('SELECT subject, day, requests, errors FROM usage_daily')).toEqual([
        { subject: 'k1', day: '2026-12-05', requests: 2, errors: 1 },
      ]);
    } finally {
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
