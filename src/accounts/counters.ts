import type { Db } from '../db/db.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { createMutex } from '../lib/mutex.ts';
import { minuteWindow, rollingDayBuckets, rollingHourBuckets } from './windows.ts';

/** Counter increments are added to the database at most this often (and on close). */
export const COUNTER_FLUSH_MS = 1_000;
/** A counter nobody touched for this long is dropped from memory after its next flush. */
export const COUNTER_IDLE_MS = 2 * 60 * 60 * 1_000;

/** A counter's bucket: `m:` month quota, `b:` burst minute, `f:` force_refresh minute, `h:` demo hour. */
export interface CounterStore {
  /**
   * Loads `subjects`' counters, then runs `fn` with exclusive access to them: a check and its
   * increment cannot interleave with another request's, so N parallel calls against a limit of
   * L admit exactly L. `fn` is synchronous, so when no flush holds the counters and the
   * subjects are already in memory (every metered call but a subject's first) it runs at once,
   * with no lock or promise in between.
   */
  atomically<T>(subjects: readonly string[], fn: (view: CounterView) => T): Promise<T>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The counters of the subjects an `atomically` call loaded; another subject throws. */
export interface CounterView {
  get(subject: string, bucket: string): number;
  /** Every bucket of `subject` that starts with `prefix` and is ≥ `from`. */
  sum(subject: string, prefix: string, from: string): number;
  /** The first bucket of `subject` that starts with `prefix`, is ≥ `from` and holds a count (when the window next frees up). */
  earliest(subject: string, prefix: string, from: string): string | undefined;
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
export function createCounterStore(
  db: Db,
  options: { flushMs?: number; clock?: Clock; onError?: (err: unknown) => void } = {},
): CounterStore {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  // Per subject, its buckets. A subject present here has been loaded from the database, so an
  // absent bucket is a zero; a subject absent here is read from the database when next seen.
  const subjects = new Map<string, Map<string, Entry>>();
  const lock = createMutex();
  let flushing: Promise<void> = Promise.resolve();
  let lastFlushAt = now();

  async function load(subject: string): Promise<void> {
    if (subjects.has(subject)) return;
    const rows = await db.all<{ bucket: string; count: number }>('SELECT bucket, count FROM rate_counters WHERE subject = ?', [subject]);
    if (!subjects.has(subject)) subjects.set(subject, new Map(rows.map((r) => [r.bucket, { value: r.count, pending: 0, touched: now() }])));
  }

  // When the running call started: what its reads and increments mark as touched.
  let callAt = 0;

  function loaded(subject: string): Map<string, Entry> {
    const buckets = subjects.get(subject);
    if (!buckets) throw new Error(`rate counters of ${subject} were not loaded for this call`);
    return buckets;
  }

  const view: CounterView = {
    get(subject, bucket) {
      const e = loaded(subject).get(bucket);
      if (e) e.touched = callAt;
      return e?.value ?? 0;
    },
    sum(subject, prefix, from) {
      let total = 0;
      for (const [bucket, e] of loaded(subject)) {
        if (!bucket.startsWith(prefix) || bucket < from) continue;
        total += e.value;
        e.touched = callAt;
      }
      return total;
    },
    earliest(subject, prefix, from) {
      let first: string | undefined;
      for (const [bucket, e] of loaded(subject)) {
        if (!bucket.startsWith(prefix) || bucket < from || e.value <= 0) continue;
        if (first === undefined || bucket < first) first = bucket;
      }
      return first;
    },
    add(subject, bucket, n) {
      const buckets = loaded(subject);
      const e = buckets.get(bucket) ?? { value: 0, pending: 0, touched: 0 };
      e.value += n;
      e.pending += n;
      e.touched = callAt;
      buckets.set(bucket, e);
    },
  };

  /** Runs under the lock, so no request changes a counter while it writes and re-reads. */
  async function writeBehind(): Promise<void> {
    // Written: what changed here. Re-read: that, and what was read since the last flush, so
    // another process's increments reach the counters requests are using.
    const since = lastFlushAt;
    lastFlushAt = now();
    const dirty: { subject: string; bucket: string; e: Entry }[] = [];
    for (const [subject, buckets] of subjects) {
      for (const [bucket, e] of buckets) if (e.pending !== 0 || e.touched >= since) dirty.push({ subject, bucket, e });
    }
    if (dirty.length > 0) {
      const totals = await db.transaction(async (tx) => {
        const out: number[] = [];
        for (const { subject, bucket, e } of dirty) {
          if (e.pending !== 0) {
            await tx.run(
              `INSERT INTO rate_counters (subject, bucket, count) VALUES (?, ?, ?)
               ON CONFLICT(subject, bucket) DO UPDATE SET count = count + excluded.count`,
              [subject, bucket, e.pending],
            );
          }
          out.push(
            (await tx.get<{ count: number }>('SELECT count FROM rate_counters WHERE subject = ? AND bucket = ?', [subject, bucket]))
              ?.count ?? 0,
          );
        }
        // Finished windows are dead weight: burst minutes before this one, force_refresh minutes
        // an hour old, demo hours a day old.
        await tx.run("DELETE FROM rate_counters WHERE bucket LIKE 'b:%' AND bucket < ?", [`b:${minuteWindow(now()).id}`]);
        await tx.run("DELETE FROM rate_counters WHERE bucket LIKE 'f:%' AND bucket < ?", [`f:${rollingHourBuckets(now()).oldest}`]);
        await tx.run("DELETE FROM rate_counters WHERE bucket LIKE 'h:%' AND bucket < ?", [`h:${rollingDayBuckets(now()).oldest}`]);
        return out;
      });
      dirty.forEach(({ e }, i) => {
        e.pending = 0;
        e.value = totals[i]!;
      });
    }
    // Finished burst minutes, force_refresh hours and demo hours leave memory once idle; a
    // subject with nothing touched for COUNTER_IDLE_MS leaves entirely.
    const idleBefore = now() - COUNTER_IDLE_MS;
    const oldestHour = `h:${rollingDayBuckets(now()).oldest}`;
    const idle = (e: Entry) => e.touched < idleBefore && e.pending === 0;
    for (const [subject, buckets] of subjects) {
      if ([...buckets.values()].every(idle)) {
        subjects.delete(subject);
        continue;
      }
      for (const [bucket, e] of buckets) {
        if (idle(e) && (bucket.startsWith('b:') || bucket.startsWith('f:') || (bucket.startsWith('h:') && bucket < oldestHour)))
          buckets.delete(bucket);
      }
    }
  }

  function flush(): Promise<void> {
    flushing = flushing.then(() => lock.run(writeBehind)).catch((err) => options.onError?.(err));
    return flushing;
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? COUNTER_FLUSH_MS);
  timer.unref?.();

  return {
    atomically(names, fn) {
      // A flush reads and resets entries across awaits: only while none holds the lock may a call skip it.
      if (!lock.held() && names.every((n) => subjects.has(n))) {
        try {
          callAt = now();
          return Promise.resolve(fn(view));
        } catch (err) {
          return Promise.reject(err);
        }
      }
      return lock.run(async () => {
        for (const n of names) await load(n);
        callAt = now();
        return fn(view);
      });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
