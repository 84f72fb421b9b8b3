import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { observeTestRecord } from '../src/testing/observe-test-record.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';
import { createSubscription } from '../src/webhooks/subscriptions.ts';

/**
 * Test support for the multi-process webhook tests: a burst of `n` permit.created deliveries
 * queued to one loopback receiver (a subscription of `keyId`: the dispatcher of a server serves
 * only a live key's webhooks, a bare dispatcher any), and dispatcher processes (test/dispatcher-child.ts) on the
 * same database file.
 */
/** A database file in a temp dir, a loopback receiver, and the child processes a test starts on them. */
export interface BurstWorld {
  dir: string;
  url: string;
  db: Db;
  receiver: Receiver;
  children: ChildProcess[];
  /** SIGKILLs every child still running, closes the receiver and the database, removes the dir. */
  close(): Promise<void>;
}

export async function openBurstWorld(prefix: string, receiverDelayMs?: number): Promise<BurstWorld> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const url = `file:${join(dir, 'live.db')}`;
  const db = await openDatabase(url);
  const receiver = await startReceiver({ delayMs: receiverDelayMs });
  const children: ChildProcess[] = [];
  return {
    dir,
    url,
    db,
    receiver,
    children,
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await receiver.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function queueBurst(db: Db, receiverUrl: string, n: number, keyId = 'key_1'): Promise<string[]> {
  await createSubscription(
    db,
    {
      key_id: keyId,
      url: `${receiverUrl}/hook`,
      events: ['permit.created'],
      jurisdiction_filter: null,
      city: null,
      state: null,
      category: null,
      zip_code: null,
    },
    new Date(),
  );
  const projector = createPlaneProjector(createCatalog());
  for (let i = 0; i < n; i++) {
    const record = testRecord({ permit_number: `16041-10000-${String(i).padStart(5, '0')}` });
    await observeTestRecord(db, projector, record);
  }
  return (await db.all<{ id: string }>('SELECT id FROM webhook_deliveries')).map((r) => r.id);
}

/** Starts a dispatcher in a process of its own on `url`; resolves once it runs. Its worker id is `child_<pid>`. */
export function startDispatcherChild(url: string, leaseMs: number, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'dispatcher-child.ts'), url, String(leaseMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`dispatcher child exited early (${code})`)));
  });
}

/** Polls `ok` until it holds or `ms` pass. */
export async function until(ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
