import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from './harness.ts';

/** How long the other process holds its write lock: well inside the 5 s busy wait, far above a healthz answer. */
const LOCK_HELD_MS = 2_500;
/** A /healthz answer slower than this while the lock is held means the event loop was blocked. */
const HEALTHZ_BUDGET_MS = 500;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demo: false });
});
afterAll(async () => h?.close());

/**
 * Issue 16, defect 8: another process's write lock must not freeze the server. A second
 * connection on the same file (another process's stand-in) holds `BEGIN IMMEDIATE` while the
 * server runs its dispatcher, usage and counter flushes; /healthz is timed throughout.
 */
describe('another connection holding the write lock', () => {
  it('leaves /healthz answering at once while the server waits for the lock', async () => {
    const key = await h.key('developer');
    // Metered calls give the usage and counter flushes something to write during the lock.
    expect((await h.get('/api/v1/jurisdictions', key)).status).toBe(200);
    let calls = 1;
    const other = new Database(h.config.database_url.replace(/^file:/, ''));
    other.exec('BEGIN IMMEDIATE');
    other.exec("INSERT INTO schema_migrations (id, applied_at) VALUES ('zz_lock_holder', 'now')");
    const releasedAt = Date.now() + LOCK_HELD_MS;
    const release = setTimeout(() => {
      other.exec('ROLLBACK');
      other.close();
    }, LOCK_HELD_MS);
    try {
      const timings: number[] = [];
      while (Date.now() < releasedAt - 200) {
        expect((await h.get('/api/v1/jurisdictions', key)).status).toBe(200);
        calls += 1;
        const started = performance.now();
        const res = await h.get('/healthz');
        timings.push(performance.now() - started);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
      }
      // A frozen event loop shows as one very slow answer and too few answers in the window.
      expect(Math.max(...timings)).toBeLessThan(HEALTHZ_BUDGET_MS);
      expect(timings.length).toBeGreaterThan(5);
    } finally {
      await new Promise((r) => setTimeout(r, Math.max(0, releasedAt - Date.now() + 50)));
      clearTimeout(release);
    }
    // Once the lock is gone, the writes that waited for it go through: every call above is counted.
    const counted = await until(
      async () => (await h.server.app.live.db.get<{ n: number | null }>('SELECT SUM(requests) AS n FROM usage_daily'))?.n ?? 0,
      (n) => n >= calls,
    );
    expect(counted).toBeGreaterThanOrEqual(calls);
  }, 20_000);
});
