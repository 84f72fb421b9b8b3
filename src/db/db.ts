import type { ReadCaches } from './read-cache.ts';

/** One SQL parameter value as both drivers accept it. */
export type SqlValue = string | number | bigint | null | Uint8Array;
export type Params = readonly SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

/** What a query can be run on: the database outside a transaction, or a transaction. */
export interface Queryable {
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<RunResult>;
  /** Several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

/**
 * The small db interface both drivers sit behind (DESIGN.md §9): the synchronous `libsql`
 * driver for embedded files and `@libsql/client` for remote URLs.
 */
export interface Db extends Queryable {
  readonly kind: 'embedded' | 'remote';
  readonly url: string;
  /** The database file an embedded database lives in, for a second connection; absent in memory and remote. */
  readonly file?: string;
  /** Runs `fn` in one write transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * This handle's read caches (hot queries answered from memory). A write path tells them what it
   * changed once it has committed; other connections' commits are noticed by the database.
   */
  readonly caches: ReadCaches;
  close(): Promise<void>;
}
