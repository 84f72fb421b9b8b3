import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createPlaneProjector } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { observe } from '../src/ingest/observe.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { createSubscription } from '../src/webhooks/subscriptions.ts';

/**
 * Test support for the multi-process webhook tests: a burst of `n` permit.created deliveries
 * queued to one loopback receiver, and dispatcher processes (test/dispatcher-child.ts) on the
 * same database file.
 */
export async function queueBurst(db: Db, receiverUrl: string, n: number): Promise<string[]> {
  await createSubscription(
    db,
    {
      key_id: 'key_1',
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
  const meta = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 };
  for (let i = 0; i < n; i++) {
    const record = testRecord({ permit_number: `16041-10000-${String(i).padStart(5, '0')}` });
    await observe(db, projector, {
      record,
      source: 'feed',
      source_url: 'https://example.invalid',
      meta,
      observedAt: new Date().toISOString(),
    });
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
