import { Worker } from 'node:worker_threads';

/**
 * Least time between two checkpoints asked of the background connection. Each syncs the
 * database file, so asking after every commit would sync it hundreds of times a second under a
 * feed; a second's worth of WAL is a few tens of MB at the fastest ingest measured.
 */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/** What `PRAGMA wal_checkpoint` reports: frames in the WAL, and how many of them are in the file now. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Checkpoints a database file's WAL on a worker thread with its own connection, so the writer
 * runs with `wal_autocheckpoint=0` and a commit never pays for copying the WAL into the file, a
 * stall of the event loop (bench/README.md, "Where the time goes"). The worker starts at the
 * first checkpoint asked for, so a database open for under a second never starts one.
 */
export interface Checkpointer {
  /** Tells it the writer committed: asks for a checkpoint if none was asked for within the interval. */
  committed(): void;
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  /** Each checkpoint's result (tests). */
  onCheckpoint?: (result: CheckpointResult) => void;
  /** The worker failed or stopped: the caller goes back to checkpointing on the writer. */
  onFailure: (err: Error) => void;
}

export function createCheckpointer(path: string, options: CheckpointerOptions): Checkpointer {
  const intervalMs = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let lastAsked = performance.now();
  let stopped = false;

  const fail = (err: Error) => {
    if (stopped) return;
    stopped = true;
    void worker?.terminate();
    options.onFailure(err);
  };

  function start(): Worker {
    const w = new Worker(new URL('./checkpointer-worker.mjs', import.meta.url), { workerData: { path } });
    // Never what keeps a process alive: SQLite checkpoints on the last connection's close anyway.
    w.unref();
    exited = new Promise((resolve) => w.once('exit', () => resolve()));
    w.on('message', (m: { type: 'checkpointed'; result: CheckpointResult } | { type: 'failed'; message: string } | { type: 'closed' }) => {
      if (m.type === 'checkpointed') options.onCheckpoint?.(m.result);
      else if (m.type === 'failed') fail(new Error(`background checkpoint failed: ${m.message}`));
      else void w.terminate();
    });
    w.on('error', (err) => fail(err));
    w.on('exit', (code) => fail(new Error(`checkpoint worker exited (code ${code})`)));
    return w;
  }

  return {
    committed() {
      if (stopped) return;
      const now = performance.now();
      if (now - lastAsked < intervalMs) return;
      lastAsked = now;
      worker ??= start();
      worker.postMessage({ type: 'checkpoint' });
    },
    async close() {
      if (stopped) return exited;
      stopped = true;
      if (!worker) return;
      worker.postMessage({ type: 'close' });
      await exited;
    },
  };
}
