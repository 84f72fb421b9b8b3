import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createMutex } from '../lib/mutex.ts';
import { createCheckpointer, type CheckpointerOptions } from './checkpointer.ts';
import type { Db, Params, Queryable, Row, RunResult } from './db.ts';
import { createReadCaches } from './read-cache.ts';

/** How long a writer waits on another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/**
 * First pause between tries for the write lock, doubled up to WRITE_LOCK_RETRY_MAX_MS. SQLite's own
 * busy handler sleeps the thread, and ours is the event loop: waiting out another process's 3 s lock
 * there froze every request (issue 16, defect 8). Tried from a timer, the wait costs nobody else.
 */
export const WRITE_LOCK_RETRY_MS = 5;
/** Longest pause between tries: another process's lock is noticed gone within this. */
export const WRITE_LOCK_RETRY_MAX_MS = 50;
/**
 * The read connection's page cache, in KiB (SQLite's default is 2 MiB). A search over 1,000,000
 * permits reads index pages spread over a file of hundreds of MB: with 2 MiB most pages came back
 * through a read() system call, and at 200,000 permits (loaded machine, the same queries
 * repeated) a value range took 27 ms against 9 ms with 64 MiB, a filing window 14.5 against 2.7,
 * a 500 m `near` 8.3 against 2.6. The cache takes memory only as pages are read.
 */
export const READ_CACHE_KIB = 65_536;
/**
 * WAL frames (pages) after which a commit checkpoints the WAL into the database file, 10× SQLite's
 * 1,000 (~40 MB of WAL at 4 KiB pages), where a commit does: in memory, on the rebuild's shadow
 * writer, and on a file's writer whose checkpoint thread failed (checkpointer.ts). A feed page's
 * transaction dirties more than 1,000 pages (the event, five read models and their indexes), so
 * with the default every commit also copied
 * the WAL and synced the file twice; bench/feed-ingest.ts spent about half as long in COMMIT with
 * this (shared machine, bench/README.md). Readers and crash recovery read at most this much WAL.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

const isBusy = (err: unknown) => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';

/**
 * Statements `all`/`get` may run on the reader: SELECT, EXPLAIN, a WITH that names no write, a
 * PRAGMA that sets nothing. Anything else (INSERT/UPDATE/DELETE ... RETURNING above all) is a write.
 */
const READ_ONLY =
  /^\s*(?:SELECT\b|EXPLAIN\b|WITH\b(?![\s\S]*\b(?:INSERT|UPDATE|DELETE|REPLACE)\b)|PRAGMA\s+[\w.]+\s*(?:\([^)]*\))?\s*;?\s*$)/i;

/** The driver's statement, typed loosely: bind values are checked by our `Params` type instead. */
interface Statement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

function queryable(conn: InstanceType<typeof Database>): Queryable {
  // Prepared statements are cached per SQL text: the hot read path prepares once (DESIGN.md §9).
  const cache = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql) as unknown as Statement;
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return {
    async all<T = Row>(sql: string, params?: Params) {
      return (params === undefined ? prepare(sql).all() : prepare(sql).all(params)) as T[];
    },
    async get<T = Row>(sql: string, params?: Params) {
      const row = (params === undefined ? prepare(sql).get() : prepare(sql).get(params)) as (T & { _metadata?: unknown }) | undefined;
      // The libsql driver adds a `_metadata` timing key to single rows; it is not a column.
      if (row && typeof row === 'object') delete row._metadata;
      return row as T | undefined;
    },
    async run(sql: string, params?: Params): Promise<RunResult> {
      const r = params === undefined ? prepare(sql).run() : prepare(sql).run(params);
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
    async exec(sql: string) {
      conn.exec(sql);
    },
  };
}

/**
 * An embedded libSQL file. One write connection serialised by a mutex, one read connection:
 * in WAL mode the reader sees only committed data, so a read never observes a transaction
 * that may still roll back. Every write, a statement with RETURNING read through `all`/`get`
 * included, runs on the writer in a transaction whose lock is awaited off the event loop; the
 * reader is `query_only`, so a write that slipped past would fail loudly rather than take the
 * file's write lock outside the mutex.
 */
export function openEmbedded(
  url: string,
  options: { busyTimeoutMs?: number; checkpoints?: Omit<CheckpointerOptions, 'onFailure'> } = {},
): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const path = url.replace(/^file:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const writer = new Database(path);
  const inMemory = path === ':memory:';
  // busy_timeout=0: a locked file answers SQLITE_BUSY at once and beginWrite() waits on a timer.
  // A file's WAL is checkpointed by a thread of its own (checkpointer.ts), not by the writer's commits.
  writer.exec(
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=0; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=${inMemory ? WAL_AUTOCHECKPOINT_PAGES : 0};`,
  );
  // If that thread fails, the writer's commits checkpoint again, from the next one on.
  let autocheckpointBack = false;
  const checkpointer = inMemory
    ? undefined
    : createCheckpointer(path, { ...options.checkpoints, onFailure: () => void (autocheckpointBack = true) });
  // An in-memory database cannot be shared between connections: read through the writer then.
  // (The driver ignores `readonly`; query_only is what refuses writes on the reader.)
  const reader = inMemory ? writer : new Database(path, { readonly: true });
  // A WAL reader waits only on rare events (another connection's recovery of the WAL index).
  if (reader !== writer) reader.exec(`PRAGMA busy_timeout=${busyTimeoutMs}; PRAGMA query_only=ON; PRAGMA cache_size=-${READ_CACHE_KIB};`);
  const lock = createMutex();
  let closed = false;

  /** Takes the write lock, trying again on a timer while another connection holds it. */
  async function beginWrite(): Promise<void> {
    const deadline = performance.now() + busyTimeoutMs;
    for (let pause = WRITE_LOCK_RETRY_MS; ; pause = Math.min(pause * 2, WRITE_LOCK_RETRY_MAX_MS)) {
      try {
        writer.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err) || performance.now() >= deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  // Per SQL text: whether all/get must run it on the writer.
  const writesBySql = new Map<string, boolean>();
  const writes = (sql: string) => {
    let known = writesBySql.get(sql);
    if (known === undefined) writesBySql.set(sql, (known = !READ_ONLY.test(sql)));
    return known;
  };

  const dataVersion = writer.prepare('PRAGMA data_version') as unknown as Statement;
  // One connection (`:memory:`) reads uncommitted writes: a cached read could outlive a rollback.
  const caches =
    reader === writer
      ? createReadCaches()
      : createReadCaches({
          // The writer's data_version moves only for commits by other connections (SQLite docs).
          version: () => (closed ? 0 : (dataVersion.get() as { data_version: number }).data_version),
        });
  const w = queryable(writer);
  const r = reader === writer ? w : queryable(reader);

  const db: Db = {
    kind: 'embedded',
    url,
    file: reader === writer ? undefined : path,
    all: (sql, params) => (writes(sql) ? db.transaction((tx) => tx.all(sql, params)) : r.all(sql, params)),
    get: (sql, params) => (writes(sql) ? db.transaction((tx) => tx.get(sql, params)) : r.get(sql, params)),
    // A lone statement is its own transaction, so its lock is awaited like any other write's.
    run: (sql, params) => db.transaction((tx) => tx.run(sql, params)),
    exec: (sql) => db.transaction((tx) => tx.exec(sql)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return lock.run(async () => {
        await beginWrite();
        try {
          const result = await fn(w);
          writer.exec('COMMIT');
          if (autocheckpointBack) {
            autocheckpointBack = false;
            writer.exec(`PRAGMA wal_autocheckpoint=${WAL_AUTOCHECKPOINT_PAGES}`);
          }
          checkpointer?.committed();
          return result;
        } catch (err) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw err;
        }
      });
    },
    caches,
    async close() {
      if (closed) return;
      closed = true;
      await lock.run(async () => {
        // What the thread had not copied yet is copied now: a process that never lived long enough
        // to start it (a CLI command) must not leave the next one a WAL that only grows.
        if (checkpointer) {
          await checkpointer.close();
          writer.exec('PRAGMA wal_checkpoint(PASSIVE)');
        }
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
  return db;
}
