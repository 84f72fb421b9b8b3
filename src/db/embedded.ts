import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createMutex } from '../lib/mutex.ts';
import type { Db, Params, Queryable, Row, RunResult } from './db.ts';
import { createReadCaches } from './read-cache.ts';

/** How long a writer waits on another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

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
 * that may still roll back.
 */
export function openEmbedded(url: string): Db {
  const path = url.replace(/^file:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const writer = new Database(path);
  writer.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}; PRAGMA foreign_keys=ON;`);
  // An in-memory database cannot be shared between connections: read through the writer then.
  const reader = path === ':memory:' ? writer : new Database(path, { readonly: true });
  if (reader !== writer) reader.exec(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS};`);
  const lock = createMutex();
  let closed = false;

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

  return {
    kind: 'embedded',
    url,
    file: reader === writer ? undefined : path,
    all: r.all,
    get: r.get,
    run: (sql, params) => lock.run(() => w.run(sql, params)),
    exec: (sql) => lock.run(() => w.exec(sql)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return lock.run(async () => {
        writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(w);
          writer.exec('COMMIT');
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
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
}
