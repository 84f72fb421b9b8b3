import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { observeTestRecord } from '../src/testing/observe-test-record.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { startHarness, type Harness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

/** Bound on the appends that run on while the backup is taken (it ends as soon as the backup has). */
const MAX_APPENDS = 20_000;
/** Appends after the backup returned, so the live log is sure to have moved past the snapshot. */
const APPENDS_AFTER = 5;

const log = (db: Db) => db.all('SELECT * FROM events ORDER BY position');

describe('permitwatch backup', () => {
  let h: Harness;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness({ demo: false });
    dir = mkdtempSync(join(tmpdir(), 'permitwatch-backup-'));
    env = { PERMITWATCH_DATABASE_URL: h.config.database_url, PERMITWATCH_DEMO: 'false', PERMITWATCH_LOG_LEVEL: 'silent' };
    // A real permit through the real server first, so the log holds a portal observation too.
    // Loaded before the appends start, so the command's import is not what the test waits on.
    await import('../src/cli/backup.ts');
    const key = await h.key();
    expect((await h.get('/api/v1/permits/26014-10000-00017/status', key)).status).toBe(200);
  });

  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a consistent snapshot while the server appends: the copy is a byte-identical prefix of the log', async () => {
    const db = h.server.app.live.db;
    const projector = createPlaneProjector(createCatalog());
    let appended = 0;
    let stopAt = MAX_APPENDS;
    const writing = (async () => {
      for (; appended < stopAt; appended++) {
        const record = testRecord({ permit_number: `16041-20000-${String(appended).padStart(5, '0')}` });
        await observeTestRecord(db, projector, record);
        // Let the backup command (in this process) run between appends, as a server's requests would.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const file = join(dir, 'during.db');
    const result = await runCliCaptured(['backup', file], env);
    stopAt = Math.min(MAX_APPENDS, appended + APPENDS_AFTER);
    await writing;
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^backed up .* to .*during\.db: \d+ events/);

    const copy = await openDatabase(`file:${file}`);
    try {
      expect(await copy.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      const copied = await log(copy);
      const live = await log(db);
      // Taken mid-stream: the log went on after the snapshot, and the copy holds no half of it.
      expect(copied.length).toBeGreaterThan(1);
      expect(copied.length).toBeLessThan(live.length);
      expect(copied).toEqual(live.slice(0, copied.length));
    } finally {
      await copy.close();
    }
  });

  it('restores to a byte-identical event log once writes are done', async () => {
    const file = join(dir, 'quiet.db');
    const result = await runCliCaptured(['backup', file], env);
    expect(result.code, result.err).toBe(0);
    const copy = await openDatabase(`file:${file}`);
    try {
      expect(await log(copy)).toEqual(await log(h.server.app.live.db));
      // The read models come along as they were: the copy answers as the original does.
      const permits = (db: Db) => db.all('SELECT * FROM permits ORDER BY jurisdiction, permit_number');
      expect(await permits(copy)).toEqual(await permits(h.server.app.live.db));
    } finally {
      await copy.close();
    }
  });

  it('never overwrites a file, and refuses a remote database', async () => {
    const again = await runCliCaptured(['backup', join(dir, 'quiet.db')], env);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists/);
    const missing = await runCliCaptured(['backup', join(dir, 'y.db')], {
      ...env,
      PERMITWATCH_DATABASE_URL: `file:${join(dir, 'no-such.db')}`,
    });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
    const remote = await runCliCaptured(['backup', join(dir, 'x.db')], { ...env, PERMITWATCH_DATABASE_URL: 'http://127.0.0.1:1' });
    expect(remote.code).toBe(2);
    expect(remote.err).toMatch(/not one/);
  });
});
