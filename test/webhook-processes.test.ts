import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBurstWorld, queueBurst, startDispatcherChild, until, type BurstWorld } from './dispatcher-burst.ts';

/** The burst both dispatchers share. */
const DELIVERIES = 1_000;
/** The receiver answers this late, so the burst lasts seconds and both processes take part. */
const RECEIVER_DELAY_MS = 150;
/** Kill one dispatcher once this many have arrived: inside the burst, with both at work. */
const KILL_AFTER = 400;
/**
 * A short lease, so the survivor takes the dead one's rows within the test; an attempt may take
 * half of it (3 s), which a loaded machine's receiver answers within.
 */
const LEASE_MS = 6_000;
/** Upper bound for the burst to drain. */
const DRAIN_TIMEOUT_MS = 90_000;

let world: BurstWorld;
let ids: string[];

beforeAll(async () => {
  world = await openBurstWorld('pw-dispatchers-', RECEIVER_DELAY_MS);
  ids = await queueBurst(world.db, world.receiver.url, DELIVERIES);
}, 120_000);

afterAll(() => world.close());

describe('two dispatcher processes on one database file', () => {
  it('share a burst, sending each delivery once; SIGKILL of one loses none, and only its leased rows may come twice', async () => {
    const { db, receiver, url, children } = world;
    const [a, b] = await Promise.all([startDispatcherChild(url, LEASE_MS, children), startDispatcherChild(url, LEASE_MS, children)]);
    const workerOf = (c: ChildProcess) => `child_${c.pid}`;
    const attemptsBy = async (c: ChildProcess) =>
      (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_attempts WHERE worker = ?', [workerOf(c)]))!.n;
    await until(() => receiver.received.length >= KILL_AFTER, DRAIN_TIMEOUT_MS);
    // Both are at work on the one burst, and while both live no delivery has come twice.
    await until(async () => (await attemptsBy(a)) > 0 && (await attemptsBy(b)) > 0, DRAIN_TIMEOUT_MS);
    expect(await attemptsBy(a)).toBeGreaterThan(0);
    expect(await attemptsBy(b)).toBeGreaterThan(0);
    const beforeKill = receiver.received.length;
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    // What the dead process held: the only rows that may reach the receiver twice.
    const leasedByDead = new Set(
      (await db.all<{ id: string }>('SELECT id FROM webhook_deliveries WHERE lease_owner = ?', [workerOf(a)])).map((r) => r.id),
    );
    expect(receiver.received.length).toBeLessThan(DELIVERIES); // it really died mid-burst

    const distinct = () => new Set(receiver.received.map((r) => r.id));
    await until(() => distinct().size >= DELIVERIES, DRAIN_TIMEOUT_MS);
    const got = distinct();
    expect(ids.filter((id) => !got.has(id))).toEqual([]);
    // Sent twice only with a reason: the dead process held it, or an attempt failed (a receiver
    // answer slower than the attempt timeout on a loaded machine) and was retried. Never because
    // two live workers claimed the same row.
    const failed = new Set(
      (await db.all<{ delivery_id: string }>('SELECT DISTINCT delivery_id FROM webhook_attempts WHERE error IS NOT NULL')).map(
        (r) => r.delivery_id,
      ),
    );
    const seen = new Map<string, number>();
    for (const r of receiver.received) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice.filter((id) => !leasedByDead.has(id) && !failed.has(id))).toEqual([]);
    // Each attempt row of a delivery was made by one worker at a time: no delivery has two
    // successful attempts (the second would be a double send by two live workers).
    expect(await db.all('SELECT delivery_id FROM webhook_attempts WHERE error IS NULL GROUP BY delivery_id HAVING COUNT(*) > 1')).toEqual(
      [],
    );
    console.log(
      `two dispatchers: ${beforeKill} delivered before SIGKILL, ${leasedByDead.size} leased by the dead one, ${failed.size} with a failed attempt, ${twice.length} sent twice`,
    );
  }, 180_000);
});
