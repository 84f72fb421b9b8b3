// The worker thread a rebuild writes its shadow tables through (shadow-writer.ts): it runs the
// statements the main thread's `handle` calls produced, batches in one open transaction until a
// `commit` message, on its own
// connection to the database file, so SQLite's insert work runs on a second core while the
// main thread reads and decodes the next events and hands them to the projections. Plain
// JavaScript on purpose: a worker starts without the TypeScript loader (tsx, vitest) the main
// thread may run under. It knows SQL and rows, nothing of permits.
import Database from 'libsql';
import { parentPort, workerData } from 'node:worker_threads';

const { path, busyTimeoutMs, cacheKib, walAutocheckpointPages, aborted } = workerData;
const conn = new Database(path);
// The checkpoint interval of the process's own writer (db/embedded.ts), so a batch's commit does not checkpoint each time.
conn.exec(
  `PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=${busyTimeoutMs}; PRAGMA cache_size=-${cacheKib}; PRAGMA wal_autocheckpoint=${walAutocheckpointPages};`,
);
const prepared = new Map();
// After a failed batch the ones behind it are refused unwritten: batches land in order or not at all.
let failed;
const rollback = () => {
  if (conn.inTransaction) conn.exec('ROLLBACK');
};

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    // The main thread ends this worker once told: Deno's worker_threads has no
    // parentPort.close() (issue 19), and terminating only after the connection is closed
    // cannot leave a write lock held. A transaction still open was abandoned: it never lands.
    rollback();
    conn.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  if (Atomics.load(aborted, 0) === 1) failed ??= 'the rebuild was abandoned';
  if (failed) {
    rollback();
    parentPort.postMessage({ id: message.id, ok: false, message: `not written after an earlier failure: ${failed}` });
    return;
  }
  try {
    if (message.type === 'commit') {
      if (conn.inTransaction) conn.exec('COMMIT');
    } else {
      if (!conn.inTransaction) conn.exec('BEGIN IMMEDIATE');
      for (const { sql, params } of message.statements) {
        let stmt = prepared.get(sql);
        if (!stmt) prepared.set(sql, (stmt = conn.prepare(sql)));
        stmt.run(params);
      }
    }
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (err) {
    rollback();
    failed = err instanceof Error ? err.message : String(err);
    parentPort.postMessage({ id: message.id, ok: false, message: failed });
  }
});
