/**
 * The baseline server of bench/runtimes.ts: the smallest Hono app (`GET /hello`, a short text)
 * served through this runtime's own adapter in src/runtime/, exactly as `permitwatch serve` is.
 * Run under Node (`node --import tsx`), Bun or Deno; prints "listening on <url>" like serve does.
 * Not a benchmark itself: run-all.ts does not run it.
 */
import { Hono } from 'hono';
import { currentRuntime } from '../src/runtime/runtime.ts';

const app = new Hono().get('/hello', (c) => c.text('Hello Hono!'));
const runtime = await currentRuntime();
const listener = await runtime.serveFetch(app.fetch, { port: 0, host: '127.0.0.1' });
process.stdout.write(`bare hono (${runtime.name}) listening on http://127.0.0.1:${listener.port}\n`);
