// The thread a database file's WAL is checkpointed on (checkpointer.ts): its own connection
// copies committed pages from the WAL into the database file and syncs it, which on the writer's
// thread stalled the event loop for the length of the copy at every commit that crossed the
// autocheckpoint size. Plain JavaScript on purpose, like the rebuild's shadow writer: a worker
// starts without the TypeScript loader the main thread may run under.
import Database from 'libsql';
import { parentPort, workerData } from 'node:worker_threads';

const conn = new Database(workerData.path);
// PASSIVE never waits on readers or writers: it copies what no reader still needs and returns.
const checkpoint = conn.prepare('PRAGMA wal_checkpoint(PASSIVE)');

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    // The main thread ends this worker once told (Deno's worker_threads has no parentPort.close()).
    conn.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    const row = checkpoint.get();
    parentPort.postMessage({ type: 'checkpointed', result: { busy: row.busy, log: row.log, checkpointed: row.checkpointed } });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});
