import { describe, expect, it } from 'vitest';
import { createSingleFlight } from './single-flight.ts';

/** Work that records the signal it was given and finishes when the test says so. */
function work() {
  let finish!: (v: string) => void;
  const seen: { signal?: AbortSignal } = {};
  const fn = (signal: AbortSignal) => {
    seen.signal = signal;
    return new Promise<string>((resolve) => (finish = resolve));
  };
  return { fn, seen, finish: (v: string) => finish(v) };
}

describe('single flight', () => {
  it('runs concurrent calls with one key once and gives each the result', async () => {
    const flights = createSingleFlight<string>();
    const w = work();
    const a = flights.run('k', w.fn);
    const b = flights.run('k', () => Promise.resolve('second fn never runs'));
    w.finish('page');
    expect(await Promise.all([a, b])).toEqual(['page', 'page']);
    expect(flights.size).toBe(0);
  });

  it('lets a caller give up alone while another still waits: the work goes on', async () => {
    const flights = createSingleFlight<string>();
    const w = work();
    const gaveUp = new AbortController();
    const a = flights.run('k', w.fn, gaveUp.signal);
    const b = flights.run('k', w.fn, new AbortController().signal);
    gaveUp.abort(new Error('client went away'));
    await expect(a).rejects.toThrow('client went away');
    expect(w.seen.signal?.aborted).toBe(false);
    w.finish('page');
    expect(await b).toBe('page');
  });

  it('aborts the work once every caller has given up, and starts afresh for the next caller', async () => {
    const flights = createSingleFlight<string>();
    const first = work();
    const x = new AbortController();
    const y = new AbortController();
    const a = flights.run('k', first.fn, x.signal);
    const b = flights.run('k', first.fn, y.signal);
    x.abort();
    y.abort();
    await expect(a).rejects.toBeDefined();
    await expect(b).rejects.toBeDefined();
    expect(first.seen.signal?.aborted).toBe(true);
    const second = work();
    const c = flights.run('k', second.fn);
    second.finish('fresh');
    expect(await c).toBe('fresh');
  });

  it('never aborts work a caller without a signal waits for', async () => {
    const flights = createSingleFlight<string>();
    const w = work();
    const gaveUp = new AbortController();
    const a = flights.run('k', w.fn);
    const b = flights.run('k', w.fn, gaveUp.signal);
    gaveUp.abort();
    await expect(b).rejects.toBeDefined();
    expect(w.seen.signal?.aborted).toBe(false);
    w.finish('page');
    expect(await a).toBe('page');
  });
});
