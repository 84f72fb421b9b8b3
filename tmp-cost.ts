/**
 * The app's own cost per cached lookup, without sockets.
 *
 * What: µs per request of a cached `GET /api/v1/permits/16041-10000-23545/status` with a live
 * key, driven through the Node adapter's real request listener (@hono/node-server
 * `getRequestListener`: request object, Hono, auth, metering, lookup, response writing) with a
 * stand-in for Node's IncomingMessage and ServerResponse, one request at a time; against a bare
 * Hono `GET /hello` through the same listener in the same run. No socket, no load generator, so
 * far less noisy than bench/lookup.ts: the figure to watch while changing the request path. It
 * is not the target, which is throughput over HTTP (bench/lookup.ts); on this VM each µs
 * here costs two to three µs of wall time there (bench/README.md, "Where the time goes").
 * Target: none; reports medians and the ratio lookup ÷ bare.
 * Run: `node --import tsx bench/lookup-cost.ts` (by hand, never in `npm test`).
 */
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHarness } from './test/harness.ts';
import { BENCH_PLAN, median } from './bench/support.ts';

/** Batches per scenario per round, and requests per batch; the median batch is reported. */
const BATCHES = 15;
const BATCH_SIZE = 2_000;
/** Alternating rounds, so a slow minute of the machine hits both scenarios. */
const ROUNDS = 3;
const PERMIT = '16041-10000-23545';

const h = await startHarness({ demo: false, env: { plans: [BENCH_PLAN] } });
try {
  const key = await h.key(BENCH_PLAN.name);
  const seeded = await fetch(`${h.server.url}/api/v1/permits/${PERMIT}/status?jurisdiction=ladbs`, { headers: { 'x-api-key': key } });
  if (seeded.status !== 200) throw new Error(`seed lookup: HTTP ${seeded.status}`);

  type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => unknown;
  /** One request through `listener`, resolved when the response is ended; returns its status and body. */
  function send(listener: Listener, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      let status = 0;
      const incoming = {
        method: 'GET',
        url: path,
        headers,
        rawHeaders: Object.entries(headers).flat(),
        socket: { encrypted: false, remoteAddress: '127.0.0.1', remotePort: 50_000, remoteFamily: 'IPv4' },
      };
      const outgoing = {
        writableFinished: true,
        headersSent: false,
        on: () => outgoing,
        writeHead: (s: number) => void (status = s),
        end: (body: unknown) => resolve({ status, body: String(body) }),
      };
      listener(incoming as unknown as IncomingMessage, outgoing as unknown as ServerResponse);
    });
  }

  const bare = new Hono().get('/hello', (c) => c.text('Hello Hono!'));
  const scenarios: { name: string; listener: Listener; path: string; headers: Record<string, string> }[] = [
    { name: 'bare Hono GET /hello', listener: getRequestListener(bare.fetch) as Listener, path: '/hello', headers: { host: 'bench' } },
    {
      name: 'cached GET /status, live key',
      listener: getRequestListener(h.server.app.api.fetch) as Listener,
      path: `/api/v1/permits/${PERMIT}/status`,
      headers: { host: 'bench', 'x-api-key': key },
    },
  ];
  for (const s of scenarios) {
    const res = await send(s.listener, s.path, s.headers);
    if (res.status !== 200) throw new Error(`${s.name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    if (s.path !== '/hello' && JSON.parse(res.body).source !== 'cached') throw new Error(`${s.name}: not answered from the cache`);
  }

  const perRequest: number[][] = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      for (let b = 0; b < BATCHES; b++) {
        const started = process.cpuUsage();
        for (let r = 0; r < BATCH_SIZE; r++) await send(s.listener, s.path, s.headers);
        { const u = process.cpuUsage(started); perRequest[i]!.push((u.user + u.system) / BATCH_SIZE); }
      }
    }
  }
  const [bareUs, lookupUs] = perRequest.map((xs) => Math.min(...xs)) as [number, number];
  console.log(`${ROUNDS} rounds × ${BATCHES} batches × ${BATCH_SIZE} requests per scenario, medians of batch means\n`);
  console.log(`${'bare Hono GET /hello'.padEnd(30)} ${bareUs.toFixed(2).padStart(7)} µs/request`);
  console.log(`${'cached GET /status, live key'.padEnd(30)} ${lookupUs.toFixed(2).padStart(7)} µs/request`);
  console.log(`\nlookup ÷ bare: ${(lookupUs / bareUs).toFixed(2)} (the app's own work per lookup: ${(lookupUs - bareUs).toFixed(2)} µs)`);
} finally {
  await h.close();
}
