import { Worker } from 'node:worker_threads';
import type { Db, SqlValue } from '../db/db.ts';
import { BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES } from '../db/embedded.ts';

/** One multi-row insert into a shadow table. */
export interface ShadowStatement {
  sql: string;
  params: SqlValue[];
}

/**
 * Where a rebuild sends its inserts: batches run in order inside one open transaction, which
 * `commit` ends, so a transaction can span many small batches (the main thread hands over each
 * page of events as it is handled, which keeps its garbage young) and the commit's cost is paid
 * once per REPLAY_TRANSACTION_EVENTS.
 */
export interface ShadowWriter {
  /** Queues a batch; resolves once fewer than SHADOW_BATCHES_IN_FLIGHT batches are unwritten. */
  write(statements: ShadowStatement[]): Promise<void>;
  /** Queues the commit of the batches written since the last one. */
  commit(): Promise<void>;
  /** Commits what is written, resolves when all of it landed, rejects with the first batch that failed; then closes. */
  finish(): Promise<void>;
  /** Stops at once, dropping what is unwritten (after a failure elsewhere). */
  abort(): Promise<void>;
}

/**
 * Batches (or commits) a worker may hold unwritten: enough to keep it busy while the main thread
 * handles the next page, few enough to bound the rows held in memory to a few pages' worth.
 */
export const SHADOW_BATCHES_IN_FLIGHT = 4;
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
  // Held until `commit`, then written in one transaction: the same transactions as the worker's.
  let pending: ShadowStatement[] = [];
  const commit = async () => {
    const statements = pending;
    pending = [];
    if (statements.length === 0) return;
    await db.transaction(async (tx) => {
      for (const s of statements) await tx.run(s.sql, s.params);
    });
  };
  return {
    async write(statements) {
      for (const s of statements) pending.push(s);
    },
    commit,
    async finish() {
      try {
        await commit();
      } finally {
        await restore();
      }
    },
    async abort() {
      pending = [];
      await restore();
    },
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

  const send = async (message: { type: 'batch'; statements: ShadowStatement[] } | { type: 'commit' }) => {
    if (stopped) throw stopped;
    const id = nextId++;
    const done = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
    // Observed here so a failure waits, unhandled, for the next write or finish to report it.
    done.catch(() => {});
    worker.postMessage({ ...message, id });
    inFlight.push(done);
    while (inFlight.length >= SHADOW_BATCHES_IN_FLIGHT) await inFlight.shift();
  };

  return {
    write: (statements) => send({ type: 'batch', statements }),
    commit: () => send({ type: 'commit' }),
    async finish() {
      try {
        await send({ type: 'commit' });
      } catch (err) {
        await close();
        throw err;
      }
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
