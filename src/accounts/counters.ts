import type { Db } from '../db/db.ts';
import { createMutex } from '../lib/mutex.ts';
import { minuteWindow, rollingDayBuckets } from './windows.ts';

/** Counter increments are added to the database at most this often (and on close). */
export const COUNTER_FLUSH_MS = 1_000;
/** A counter nobody touched for this long is dropped from memory after its next flush. */
export const COUNTER_IDLE_MS = 2 * 60 * 60 * 1_000;

/** A counter's bucket: `m:` month quota, `b:` burst minute, `f:` force_refresh hour, `h:` demo hour. */
export interface CounterStore {
  /**
   * Runs `fn` with exclusive access to the counters: a check and its increment cannot
   * interleave with another request's, so N parallel calls against a limit of L admit exactly L.
   */
  atomically<T>(fn: (view: CounterView) => Promise<T>): Promise<T>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface CounterView {
  get(subject: string, bucket: string): Promise<number>;
  /** Every bucket of `subject` that starts with `prefix` and is ≥ `from`. */
  sum(subject: string, prefix: string, from: string): Promise<number>;
  add(subject: string, bucket: string, n: number): void;
}

interface Entry {
  value: number;
  /** Added since the last flush; the database holds `value - pending`. */
  pending: number;
  touched: number;
}

/**
 * Rate-limit counters (burst, monthly quota, force_refresh, demo cap) held in memory and written
 * behind to `rate_counters`. The previous design ran one write transaction per metered request;
 * measured, that transaction was about 45 % of a cached lookup's cost (bench/lookup.ts,
 * bench/metering.ts), and every commit also cooled the reader's page cache. Now a request reads
 * and bumps memory under one mutex (exact within the process), and a flush every
 * COUNTER_FLUSH_MS adds the increments to the database and re-reads the totals, so a restart
 * resumes from them and a second process sharing the file sees this one's counts within a flush.
 * What a SIGKILL can lose is at most the last flush interval's increments.
 */
export function createCounterStore(db: Db, options: { flushMs?: number; now?: () => number; onError?: (err: unknown) => void } = {}): CounterStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const loadedSubjects = new Set<string>();
  const lock = createMutex();
  let flushing: Promise<void> = Promise.resolve();
  let lastFlushAt = now();
  const key = (subject: string, bucket: string) => `${subject}\u0000${bucket}`;

  /** Loads every stored bucket of a subject once; later reads are memory only. */
  async function load(subject: string): Promise<void> {
    if (loadedSubjects.has(subject)) return;
    const rows = await db.all<{ bucket: string; count: number }>('SELECT bucket, count FROM rate_counters WHERE subject = ?', [subject]);
    for (const r of rows) if (!entries.has(key(subject, r.bucket))) entries.set(key(subject, r.bucket), { value: r.count, pending: 0, touched: now() });
    loadedSubjects.add(subject);
  }

  const view: CounterView = {
    async get(subject, bucket) {
      await load(subject);
      const e = entries.get(key(subject, bucket));
      if (e) e.touched = now();
      return e?.value ?? 0;
    },
    async sum(subject, prefix, from) {
      await load(subject);
      let total = 0;
      const start = key(subject, prefix);
      const lower = key(subject, from);
      for (const [k, e] of entries) {
        if (!k.startsWith(start) || k < lower) continue;
        total += e.value;
        e.touched = now();
      }
      return total;
    },
    add(subject, bucket, n) {
      const k = key(subject, bucket);
      const e = entries.get(k) ?? { value: 0, pending: 0, touched: 0 };
      e.value += n;
      e.pending += n;
      e.touched = now();
      entries.set(k, e);
    },
  };

  async function writeBehind(): Promise<void> {
    // Written: what changed here. Re-read: that, and what was read since the last flush, so
    // another process's increments reach the counters requests are using.
    const since = lastFlushAt;
    lastFlushAt = now();
    const dirty = [...entries].filter(([, e]) => e.pending !== 0 || e.touched >= since).map(([k, e]) => ({ k, e, n: e.pending }));
    if (dirty.length > 0) {
      const totals = await db.transaction(async (tx) => {
        const out: number[] = [];
        for (const d of dirty) {
          const [subject, bucket] = d.k.split('\u0000') as [string, string];
          if (d.n !== 0) {
            await tx.run(
              `INSERT INTO rate_counters (subject, bucket, count) VALUES (?, ?, ?)
               ON CONFLICT(subject, bucket) DO UPDATE SET count = count + excluded.count`,
              [subject, bucket, d.n],
            );
          }
          out.push((await tx.get<{ count: number }>('SELECT count FROM rate_counters WHERE subject = ? AND bucket = ?', [subject, bucket]))?.count ?? 0);
        }
        // Finished windows are dead weight: burst minutes before this one, demo hours a day old.
        await tx.run("DELETE FROM rate_counters WHERE bucket LIKE 'b:%' AND bucket < ?", [`b:${minuteWindow(now()).id}`]);
        await tx.run("DELETE FROM rate_counters WHERE bucket LIKE 'h:%' AND bucket < ?", [`h:${rollingDayBuckets(now()).oldest}`]);
        return out;
      });
      // Increments made while the transaction ran stay pending for the next flush.
      dirty.forEach((d, i) => {
        d.e.pending -= d.n;
        d.e.value = totals[i]! + d.e.pending;
      });
    }
    // Finished burst minutes and force_refresh hours leave memory once idle; a subject with
    // nothing touched for COUNTER_IDLE_MS leaves entirely (re-read from the database when next seen).
    const idleBefore = now() - COUNTER_IDLE_MS;
    const oldestHour = `h:${rollingDayBuckets(now()).oldest}`;
    const active = new Set<string>();
    for (const [k, e] of entries) if (e.touched >= idleBefore || e.pending !== 0) active.add(k.slice(0, k.indexOf('\u0000')));
    for (const [k, e] of entries) {
      if (e.touched >= idleBefore || e.pending !== 0) continue;
      const subject = k.slice(0, k.indexOf('\u0000'));
      const bucket = k.slice(subject.length + 1);
      if (!active.has(subject) || bucket.startsWith('b:') || bucket.startsWith('f:') || (bucket.startsWith('h:') && bucket < oldestHour)) entries.delete(k);
    }
    for (const s of [...loadedSubjects]) if (!active.has(s)) loadedSubjects.delete(s);
  }

  function flush(): Promise<void> {
    flushing = flushing.then(() => lock.run(writeBehind)).catch((err) => options.onError?.(err));
    return flushing;
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? COUNTER_FLUSH_MS);
  timer.unref?.();

  return {
    atomically: (fn) => lock.run(() => fn(view)),
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
