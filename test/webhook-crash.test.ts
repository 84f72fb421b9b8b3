import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBurstWorld, queueBurst, startDispatcherChild, until, type BurstWorld } from './dispatcher-burst.ts';

/** The burst the issue names. */
const DELIVERIES = 2_000;
/** Kill the first dispatcher once this many have arrived: well inside the burst. */
const KILL_AFTER = 400;
/**
 * A short lease, so the restarted dispatcher reclaims the dead one's rows quickly; long enough
 * that an attempt (half the lease) outlasts a loaded machine's receiver.
 */
const LEASE_MS = 3_000;
/** Upper bound for the whole burst to drain after the restart. */
const DRAIN_TIMEOUT_MS = 60_000;

let world: BurstWorld;
let ids: string[];
const startChild = () => startDispatcherChild(world.url, LEASE_MS, world.children);

beforeAll(async () => {
  world = await openBurstWorld('pw-crash-');
  ids = await queueBurst(world.db, world.receiver.url, DELIVERIES);
}, 120_000);

afterAll(() => world.close());

describe('crash test', () => {
  it('loses no delivery when the dispatcher is SIGKILLed mid-burst and restarted', async () => {
    const { db, receiver } = world;
    expect(ids).toHaveLength(DELIVERIES);

    const first = await startChild();
    await until(() => receiver.received.length >= KILL_AFTER, DRAIN_TIMEOUT_MS);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const beforeRestart = new Set(receiver.received.map((r) => r.id)).size;
    expect(beforeRestart).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(beforeRestart).toBeLessThan(DELIVERIES); // it really died mid-burst

    await startChild();
    const distinct = () => new Set(receiver.received.map((r) => r.id));
    await until(() => distinct().size >= DELIVERIES, DRAIN_TIMEOUT_MS);
    const got = distinct();
    expect(ids.filter((id) => !got.has(id))).toEqual([]);
    expect([...got].filter((id) => !ids.includes(id))).toEqual([]);
    // Each delivery carries its own stable id in both the header and the body.
    for (const r of receiver.received) expect((JSON.parse(r.body) as { delivery_id: string }).delivery_id).toBe(r.id);
    // The last round's outcomes are written after its requests return: wait for that commit.
    const states = () => db.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM webhook_deliveries GROUP BY status');
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while ((await states()).length !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await states()).toEqual([{ status: 'delivered', n: DELIVERIES }]);
    console.log(`crash test: ${beforeRestart} delivered before SIGKILL, ${receiver.received.length - DELIVERIES} duplicates after restart`);
  }, 120_000);
});
