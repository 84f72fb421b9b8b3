import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startHarness } from '../test/harness.ts';
import { BENCH_PLAN } from './support.ts';
const PERMIT = '16041-10000-23545';
const h = await startHarness({ demo: false, env: { plans: [BENCH_PLAN] } });
const key = await h.key(BENCH_PLAN.name);
await fetch(`${h.server.url}/api/v1/permits/${PERMIT}/status?jurisdiction=ladbs`, { headers: { 'x-api-key': key } });
type Listener = (i: IncomingMessage, o: ServerResponse) => unknown;
const listener = getRequestListener(h.server.app.api.fetch) as Listener;
const headers = { host: 'bench', 'x-api-key': key };
function send(): Promise<void> {
  return new Promise((resolve) => {
    const incoming = { method: 'GET', url: `/api/v1/permits/${PERMIT}/status`, headers, rawHeaders: Object.entries(headers).flat(), socket: { encrypted: false, remoteAddress: '127.0.0.1', remotePort: 50000, remoteFamily: 'IPv4' } };
    const outgoing = { writableFinished: true, headersSent: false, on: () => outgoing, writeHead: () => {}, end: () => resolve() };
    listener(incoming as never, outgoing as never);
  });
}
for (let i = 0; i < 20000; i++) await send();
const res: number[] = [];
for (let b = 0; b < 12; b++) { const c0 = process.cpuUsage(); for (let i = 0; i < 3000; i++) await send(); const c1 = process.cpuUsage(c0); res.push((c1.user + c1.system) / 3000); }
res.sort((a, b) => a - b);
console.log(`cpu µs/req min ${res[0]!.toFixed(2)} p25 ${res[3]!.toFixed(2)} median ${res[6]!.toFixed(2)}`);
await h.close();
