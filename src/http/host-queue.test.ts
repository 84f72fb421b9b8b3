import { describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/manual-clock.ts';
import { createHostQueues, HOST_QUEUE_LIMIT, TENANT_QUEUE_LIMIT } from './host-queue.ts';

/** A call whose start time is logged and which finishes when the test says so. */
function controllable(clock: { now(): number }, starts: number[]) {
  const finishers: Array<() => void> = [];
  const call = () =>
    new Promise<void>((resolve) => {
      starts.push(clock.now());
      finishers.push(resolve);
    });
  return { call, finish: (i: number) => finishers[i]?.() };
}

describe('host queues', () => {
  it('releases calls 1/rps apart: rps=2 gives 0, 500, 1000, 1500, 2000 ms', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const starts: number[] = [];
    const politeness = { requests_per_second: 2, concurrency: 5 };
    const done = Array.from({ length: 5 }, () => queues.run('portal.example', politeness, async () => void starts.push(clock.now())));

    await clock.advance(499);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    expect(starts).toEqual([0, 500]);
    await clock.advance(1500);
    expect(starts).toEqual([0, 500, 1000, 1500, 2000]);
    await Promise.all(done);
  });

  it('spaces fractional rates: 0.5 rps is one call every 2 s', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const starts: number[] = [];
    const politeness = { requests_per_second: 0.5, concurrency: 1 };
    for (let i = 0; i < 3; i++) void queues.run('slow.example', politeness, async () => void starts.push(clock.now()));
    await clock.advance(10_000);
    expect(starts).toEqual([0, 2000, 4000]);
  });

  it('never has more than `concurrency` calls in flight, whatever the rate allows', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const starts: number[] = [];
    const { call, finish } = controllable(clock, starts);
    const politeness = { requests_per_second: 10, concurrency: 2 };
    for (let i = 0; i < 4; i++) void queues.run('portal.example', politeness, call);

    await clock.advance(1000);
    expect(starts).toEqual([0, 100]); // the rate allows ten by now; two are in flight

    finish(0);
    await clock.advance(0);
    expect(starts).toEqual([0, 100, 1000]);

    finish(1);
    await clock.advance(99);
    expect(starts).toHaveLength(3); // a free slot, but the next rate slot is at 1100
    await clock.advance(1);
    expect(starts).toEqual([0, 100, 1000, 1100]);
  });

  it('gives each host its own lane', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const starts: string[] = [];
    const politeness = { requests_per_second: 1, concurrency: 1 };
    for (const host of ['a.example', 'b.example', 'a.example', 'b.example']) {
      void queues.run(host, politeness, async () => void starts.push(`${host}@${clock.now()}`));
    }
    await clock.advance(1000);
    expect(starts).toEqual(['a.example@0', 'b.example@0', 'a.example@1000', 'b.example@1000']);
  });

  it('keeps the strictest politeness asked for on a shared host', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const starts: number[] = [];
    const record = async () => void starts.push(clock.now());
    void queues.run('aca-prod.accela.com', { requests_per_second: 10, concurrency: 4 }, record);
    void queues.run('aca-prod.accela.com', { requests_per_second: 1, concurrency: 1 }, record);
    void queues.run('aca-prod.accela.com', { requests_per_second: 10, concurrency: 4 }, record);
    void queues.run('aca-prod.accela.com', { requests_per_second: 10, concurrency: 4 }, record);
    await clock.advance(5000);
    // The first slot after 0 was reserved at 10 rps; from then on the 1 rps agency sets the pace.
    expect(starts).toEqual([0, 100, 1100, 2100]);
  });

  it('takes waiting calls round-robin between tenants, FIFO within one', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const order: string[] = [];
    const politeness = { requests_per_second: 1, concurrency: 1 };
    const call = (label: string) => async () => void order.push(label);
    for (let i = 1; i <= 4; i++) void queues.run('portal.example', politeness, call(`a${i}`), { tenant: 'a' });
    void queues.run('portal.example', politeness, call('b1'), { tenant: 'b' });
    void queues.run('portal.example', politeness, call('c1'), { tenant: 'c' });
    void queues.run('portal.example', politeness, call('b2'), { tenant: 'b' });
    await clock.advance(10_000);
    // a1 was in flight at once; then each tenant in turn, not the order of arrival.
    expect(order).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'a4']);
  });

  it("refuses a tenant's call past its share, with how long its queue would take, while others still get in", async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const politeness = { requests_per_second: 2, concurrency: 1 };
    const never = () => new Promise<void>(() => {});
    void queues.run('portal.example', politeness, never, { tenant: 'a' }); // in flight
    for (let i = 0; i < TENANT_QUEUE_LIMIT; i++) void queues.run('portal.example', politeness, never, { tenant: 'a' });
    const refused = await queues.run('portal.example', politeness, never, { tenant: 'a' });
    expect(refused).toMatchObject({ ok: false, reason: 'queue_full' });
    // 1 in flight and 25 waiting ahead of it, at 2 per second.
    expect(refused.ok === false && refused.reason === 'queue_full' && refused.retryAfterMs).toBe(((TENANT_QUEUE_LIMIT + 1) * 1000) / 2);
    void queues.run('portal.example', politeness, never, { tenant: 'b' });
    expect(queues.waiting('portal.example')).toBe(TENANT_QUEUE_LIMIT + 1);
  });

  it('refuses any call once the host has HOST_QUEUE_LIMIT waiting', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const politeness = { requests_per_second: 1, concurrency: 1 };
    const never = () => new Promise<void>(() => {});
    void queues.run('portal.example', politeness, never, { tenant: 't0' });
    for (let i = 0; i < HOST_QUEUE_LIMIT; i++) void queues.run('portal.example', politeness, never, { tenant: `t${i}` });
    expect(queues.waiting('portal.example')).toBe(HOST_QUEUE_LIMIT);
    expect(await queues.run('portal.example', politeness, never, { tenant: 'newcomer' })).toMatchObject({
      ok: false,
      reason: 'queue_full',
    });
    expect(await queues.run('other.example', politeness, async () => 'ok', { tenant: 'newcomer' })).toEqual({ ok: true, value: 'ok' });
  });

  it('drops a waiting call whose signal aborts: it never runs and frees its place', async () => {
    const clock = createManualClock(0);
    const queues = createHostQueues({ clock });
    const politeness = { requests_per_second: 1, concurrency: 1 };
    const ran: string[] = [];
    const controller = new AbortController();
    void queues.run('portal.example', politeness, async () => void ran.push('first'));
    const dropped = queues.run('portal.example', politeness, async () => void ran.push('dropped'), { signal: controller.signal });
    void queues.run('portal.example', politeness, async () => void ran.push('third'));
    controller.abort();
    expect(await dropped).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(queues.waiting('portal.example')).toBe(1);
    await clock.advance(5_000);
    expect(ran).toEqual(['first', 'third']);
    expect(await queues.run('portal.example', politeness, async () => 1, { signal: AbortSignal.abort() })).toMatchObject({
      ok: false,
      reason: 'cancelled',
    });
  });
});
