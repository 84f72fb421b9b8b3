import { Worker } from 'node:worker_threads';
import type { Db, SqlValue } from '../db/db.ts';
import { BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES } from '../db/embedded.ts';

/** One multi-row insert into a shadow table. */
export interface ShadowStatement {
  sql: string;
  params: SqlValue[];
}

/** Where a rebuild sends its inserts: each batch is one transaction, committed in order. */
export interface ShadowWriter {
  /** Queues a batch; resolves once fewer than SHADOW_BATCHES_IN_FLIGHT batches are unwritten. */
  write(statements: ShadowStatement[]): Promise<void>;
  /** Resolves when every batch is committed, rejects with the first that failed; then closes. */
  finish(): Promise<void>;
  /** Stops at once, dropping what is unwritten (after a failure elsewhere). */
  abort(): Promise<void>;
}

/**
 * Batches a worker may hold unwritten: two keep it busy while the main thread handles the next,
 * and bound the rows held in memory to two transactions' worth.
 */
export const SHADOW_BATCHES_IN_FLIGHT = 2;
/**
 * SQLite page cache (KiB) of the connection that fills the shadow tables: with the default
 * 2 MiB, inserts into a city-sized table turn into page reads (bench/README.md). Only for the
 * rebuild, so a serving process stays small.
 */
export const REBUILD_CACHE_KIB = 65_536;
/** SQLite's own default (`PRAGMA cache_size = -2000`), restored after an in-process rebuild. */
const DEFAULT_CACHE_KIB = 2_000;

/**
 * A database file gets a worker thread with its own connection, so inserting overlaps decoding
 * and `handle`; an in-memory or remote database is written in this thread, since a second
 * connection could not see it or would add a network hop per batch.
 */
export async function openShadowWriter(db: Db): Promise<ShadowWriter> {
  return db.file ? workerWriter(db.file) : inProcessWriter(db);
}

async function inProcessWriter(db: Db): Promise<ShadowWriter> {
  const embedded = db.kind === 'embedded';
  if (embedded) await db.exec(`PRAGMA cache_size = -${REBUILD_CACHE_KIB}`);
  const restore = async () => {
    if (embedded) await db.exec(`PRAGMA cache_size = -${DEFAULT_CACHE_KIB}`);
  };
  return {
    write: (statements) =>
      db.transaction(async (tx) => {
        for (const s of statements) await tx.run(s.sql, s.params);
      }),
    finish: restore,
    abort: restore,
  };
}

interface Reply {
  id: number;
  ok: boolean;
  message?: string;
}

function workerWriter(path: string): ShadowWriter {
  // Set by abort: the worker skips the batches still queued and closes its connection cleanly,
  // where terminating it could leave its write lock held until this process exits.
  const aborted = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./shadow-writer-worker.mjs', import.meta.url), {
    workerData: { path, busyTimeoutMs: BUSY_TIMEOUT_MS, cacheKib: REBUILD_CACHE_KIB, walAutocheckpointPages: WAL_AUTOCHECKPOINT_PAGES, aborted },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const close = async () => {
    worker.postMessage({ type: 'close' });
    await exited;
  };
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let inFlight: Promise<void>[] = [];
  let nextId = 0;
  let stopped: Error | undefined;
  const failAll = (err: Error) => {
    stopped ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (reply: Reply | { type: 'closed' }) => {
    if ('type' in reply) return void worker.terminate();
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) return w?.resolve();
    const err = new Error(`rebuild could not write its shadow tables: ${reply.message}`);
    stopped ??= err;
    w?.reject(err);
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`rebuild's shadow writer exited (code ${code})`)));

  return {
    async write(statements) {
      if (stopped) throw stopped;
      const id = nextId++;
      const done = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
      // Observed here so a failure waits, unhandled, for the next write or finish to report it.
      done.catch(() => {});
      worker.postMessage({ type: 'batch', id, statements });
      inFlight.push(done);
      while (inFlight.length >= SHADOW_BATCHES_IN_FLIGHT) await inFlight.shift();
    },
    async finish() {
      const pending = inFlight;
      inFlight = [];
      try {
        for (const p of pending) await p;
      } finally {
        await close();
      }
    },
    async abort() {
      inFlight = [];
      Atomics.store(aborted, 0, 1);
      await close();
    },
  };
}
