import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_QUEUE_LIMIT } from '../src/http/host-queue.ts';
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { startHarness, until, type Harness } from './harness.ts';

/** The batch deadline for these tests: several of LADBS's 1 request/s slots, short enough to keep the test quick. */
const BATCH_TIMEOUT_SECONDS = 4;
/** The attack of issue 16: four batches of 25 numbers no portal knows, from one key. */
const ATTACK_BATCHES = 4;
const BATCH_SIZE = 25;
/**
 * The other key's single lookup must not wait behind the attack: before the fix it waited for all
 * 100 calls at 1 request/s (about 100 s); now it waits a couple of rate slots. Loose, because the
 * machine running the suite is shared.
 */
const OTHER_KEY_BUDGET_MS = 15_000;

/** LADBS-format numbers the fixture portal has no capture of: each costs one portal request. */
const unknownNumbers = (batch: number) =>
  Array.from({ length: BATCH_SIZE }, (_, i) => `99${batch}${String(i).padStart(2, '0')}-10000-00001`);

// A second jurisdiction with LADBS's number format whose portal accepts the connection and never answers.
const HANGING = { ...LADBS_JURISDICTION, slug: 'ladbs-hanging', display_name: 'Hanging portal (test catalog entry)' };

describe('portal fetches shared between keys (issue 16, defect 5)', () => {
  let h: Harness;
  let hanging: Server;
  let hangingUrl: string;
  /** Requests the hanging portal received, and how many the caller's side has since closed. */
  const hangingSeen = { opened: 0, closed: 0 };

  beforeAll(async () => {
    hanging = createServer((req) => {
      hangingSeen.opened += 1;
      req.socket.on('close', () => (hangingSeen.closed += 1));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    h = await startHarness({
      demo: false,
      jurisdictions: [LADBS_JURISDICTION, HANGING],
      overrides: (url) => `ladbs-hanging=${hangingUrl},*=${url}`,
      env: { batch_timeout_seconds: BATCH_TIMEOUT_SECONDS },
    });
  });
  afterAll(async () => {
    await h?.close();
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });

  it("keeps another key's single lookup fast under four batches of unknown numbers, and stops the batches' work at their deadline", async () => {
    const attacker = await h.key('developer');
    const other = await h.key('developer');
    const batches = Array.from({ length: ATTACK_BATCHES }, (_, b) =>
      h.post('/api/v1/permits/batch-status', { permit_numbers: unknownNumbers(b), jurisdiction: 'ladbs' }, attacker),
    );
    await until(
      () => h.portal.requests.length,
      (n) => n >= 1,
    );

    const started = performance.now();
    const res = await fetch(`${h.server.url}/api/v1/permits/26030-10000-01235/status?jurisdiction=ladbs`, {
      headers: { 'x-api-key': other },
      signal: AbortSignal.timeout(30_000),
    }).catch((err: Error) => ({ status: `gave up: ${err.name}` }));
    const otherMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(otherMs).toBeLessThan(OTHER_KEY_BUDGET_MS);

    const answered = await Promise.all(batches);
    for (const b of answered) expect(b.status).toBe(200);
    const errors = answered.flatMap((b) => b.body.errors as { error: string; retry_after_seconds?: number }[]);
    // The host's queue is bounded per key: what does not fit is refused at once, with when to retry.
    // At most the key's share, the calls in flight and those started before the deadline got in.
    const { concurrency, requests_per_second } = LADBS_JURISDICTION.politeness;
    const admitted = TENANT_QUEUE_LIMIT + concurrency + BATCH_TIMEOUT_SECONDS * requests_per_second;
    const refused = errors.filter((e) => e.error === 'jurisdiction_unavailable');
    expect(refused.length).toBeGreaterThanOrEqual(ATTACK_BATCHES * BATCH_SIZE - admitted);
    for (const e of refused) expect(e.retry_after_seconds).toBeGreaterThanOrEqual(1);

    // Past the deadline nobody waits for the rest: it is cancelled, not fetched.
    const atDeadline = h.portal.requests.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(h.portal.requests.length).toBe(atDeadline);
  }, 90_000);

  it('answers 503 jurisdiction_unavailable with retry_after_seconds when the key already fills its share of the queue', async () => {
    const key = await h.key('developer');
    // Two batches: more than the key's share of the queue plus the host's calls in flight.
    const batches = [7, 8].map((b) =>
      h.post('/api/v1/permits/batch-status', { permit_numbers: unknownNumbers(b), jurisdiction: 'ladbs' }, key),
    );
    await until(
      () => h.portal.requests.length,
      (n) => n >= 1,
    );
    const res = await h.get('/api/v1/permits/99999-10000-00099/status?jurisdiction=ladbs', key);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'jurisdiction_unavailable', retry_after_seconds: expect.any(Number) });
    expect(res.body.retry_after_seconds).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('retry-after')).toBe(String(res.body.retry_after_seconds));
    await Promise.all(batches);
  }, 30_000);

  it('closes the portal request when the caller of a status lookup goes away', async () => {
    const key = await h.key('developer');
    const opened = hangingSeen.opened;
    const gone = await fetch(`${h.server.url}/api/v1/permits/26030-10000-01235/status?jurisdiction=ladbs-hanging`, {
      headers: { 'x-api-key': key },
      signal: AbortSignal.timeout(1_000),
    }).catch((err: Error) => err.name);
    expect(gone).toBe('TimeoutError');
    expect(hangingSeen.opened).toBe(opened + 1);
    // Without cancellation the request stays open until the 20 s headers timeout.
    const closed = await until(
      () => hangingSeen.closed,
      (n) => n >= opened + 1,
      3_000,
    );
    expect(closed).toBe(opened + 1);
  }, 30_000);
});
