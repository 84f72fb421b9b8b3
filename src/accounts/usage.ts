import type { Db, Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import { innerMap } from '../lib/inner-map.ts';

/** Usage rows are written at most this often: the request path only appends to memory. */
export const USAGE_FLUSH_MS = 1_000;
/** A buffer this large is flushed at once, so memory stays bounded under load. */
export const USAGE_BUFFER_MAX = 5_000;
const DAY_MS = 86_400_000;
/** Endpoints listed in a usage report. */
export const USAGE_TOP_ENDPOINTS = 10;

export const USAGE_MIGRATIONS: Migration[] = [
  {
    id: '0042_accounts_usage',
    sql: `CREATE TABLE usage_daily (
  subject TEXT NOT NULL,
  day TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  PRIMARY KEY (subject, day, endpoint)
) WITHOUT ROWID`,
  },
];

export interface UsageRecorder {
  /** Counts one request; `subject` is a key id or `anonymous`. Never waits on the database. */
  record(entry: { subject: string; endpoint: string; status: number; at: number }): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Usage metering that stays off the request path: counts accumulate in memory, keyed by
 * subject, day and endpoint, and are added to the database in one transaction per flush.
 */
export function createUsageRecorder(db: Db, options: { flushMs?: number; onError?: (err: unknown) => void } = {}): UsageRecorder {
  type Row = { subject: string; day: string; endpoint: string; requests: number; errors: number };
  // Subject → endpoint → row, all of one UTC day: no key string is built per request.
  let buffer = new Map<string, Map<string, Row>>();
  let size = 0;
  let flushing: Promise<void> = Promise.resolve();

  // Rows of flushes that failed (the file locked by another process past the busy timeout): kept,
  // merged by (subject, day, endpoint) so they stay bounded, and written with the next flush.
  const unwritten = new Map<string, Row>();

  function keep(rows: readonly Row[]): void {
    for (const r of rows) {
      const id = `${r.subject}\u0000${r.day}\u0000${r.endpoint}`;
      const kept = unwritten.get(id);
      if (kept) {
        kept.requests += r.requests;
        kept.errors += r.errors;
      } else unwritten.set(id, { ...r });
    }
  }

  async function flush(): Promise<void> {
    if (buffer.size === 0 && unwritten.size === 0) return flushing;
    const fresh = [...buffer.values()].flatMap((endpoints) => [...endpoints.values()]);
    buffer = new Map();
    size = 0;
    flushing = flushing.then(() => {
      const batch = [...unwritten.values(), ...fresh];
      unwritten.clear();
      return db
        .transaction(async (tx) => {
          for (const r of batch) {
            await tx.run(
              `INSERT INTO usage_daily (subject, day, endpoint, requests, errors) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(subject, day, endpoint) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors`,
              [r.subject, r.day, r.endpoint, r.requests, r.errors],
            );
          }
        })
        .catch((err) => {
          // The transaction rolled back as a whole: every row of the batch is still to be written.
          keep(batch);
          options.onError?.(err);
        });
    });
    return flushing;
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? USAGE_FLUSH_MS);
  timer.unref?.();
  // The UTC day of the last request and where it ends: formatting a date on every request was
  // 3 % of a cached lookup's time (bench/lookup.ts).
  let day = '';
  let dayEnds = -Infinity;
  let dayStarts = Infinity;

  return {
    record({ subject, endpoint, status, at }) {
      if (at >= dayEnds || at < dayStarts) {
        // A new day's counts must not join the old day's rows: those go to the database first.
        if (buffer.size > 0) void flush();
        dayStarts = at - (at % DAY_MS);
        dayEnds = dayStarts + DAY_MS;
        day = new Date(dayStarts).toISOString().slice(0, 10);
      }
      const endpoints = innerMap(buffer, subject);
      let row = endpoints.get(endpoint);
      if (!row) {
        endpoints.set(endpoint, (row = { subject, day, endpoint, requests: 0, errors: 0 }));
        if (++size >= USAGE_BUFFER_MAX) void flush();
      }
      // A 5xx is no answer: it is an error, not a charged request (issue 21, defect 4).
      if (status < 500) row.requests += 1;
      if (status >= 400) row.errors += 1;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

export interface UsageReport {
  period: { day: string; week_start: string; month: string };
  requests: { today: number; this_week: number; this_month: number };
  errors: { today: number; this_week: number; this_month: number };
  top_endpoints: { endpoint: string; requests: number; errors: number }[];
  per_key: { key_id: string; requests_this_month: number; errors_this_month: number }[];
}

/** Usage of `subjects` (one key, or every key for an admin) for the UTC day, ISO week and month of `now`. */
export async function readUsage(db: Queryable, subjects: string[] | 'all', now: number): Promise<UsageReport> {
  const d = new Date(now);
  const day = d.toISOString().slice(0, 10);
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
  const weekStart = monday.toISOString().slice(0, 10);
  const monthStart = `${day.slice(0, 7)}-01`;
  const from = weekStart < monthStart ? weekStart : monthStart;
  const filter = subjects === 'all' ? '' : `AND subject IN (${subjects.map(() => '?').join(',') || "''"})`;
  const rows = await db.all<{ subject: string; day: string; endpoint: string; requests: number; errors: number }>(
    `SELECT subject, day, endpoint, requests, errors FROM usage_daily WHERE day >= ? ${filter}`,
    [from, ...(subjects === 'all' ? [] : subjects)],
  );
  const sum = (pred: (r: (typeof rows)[number]) => boolean, f: 'requests' | 'errors') => rows.filter(pred).reduce((s, r) => s + r[f], 0);
  const inMonth = (r: (typeof rows)[number]) => r.day >= monthStart;
  const endpoints = new Map<string, { endpoint: string; requests: number; errors: number }>();
  const keys = new Map<string, { key_id: string; requests_this_month: number; errors_this_month: number }>();
  for (const r of rows.filter(inMonth)) {
    const e = endpoints.get(r.endpoint) ?? { endpoint: r.endpoint, requests: 0, errors: 0 };
    e.requests += r.requests;
    e.errors += r.errors;
    endpoints.set(r.endpoint, e);
    const k = keys.get(r.subject) ?? { key_id: r.subject, requests_this_month: 0, errors_this_month: 0 };
    k.requests_this_month += r.requests;
    k.errors_this_month += r.errors;
    keys.set(r.subject, k);
  }
  return {
    period: { day, week_start: weekStart, month: day.slice(0, 7) },
    requests: {
      today: sum((r) => r.day === day, 'requests'),
      this_week: sum((r) => r.day >= weekStart, 'requests'),
      this_month: sum(inMonth, 'requests'),
    },
    errors: {
      today: sum((r) => r.day === day, 'errors'),
      this_week: sum((r) => r.day >= weekStart, 'errors'),
      this_month: sum(inMonth, 'errors'),
    },
    top_endpoints: [...endpoints.values()]
      .sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint))
      .slice(0, USAGE_TOP_ENDPOINTS),
    per_key: [...keys.values()].sort((a, b) => b.requests_this_month - a.requests_this_month || a.key_id.localeCompare(b.key_id)),
  };
}
