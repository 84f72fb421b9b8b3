/**
 * What each piece of the API's request middleware costs over HTTP, alone.
 *
 * What: one Hono app per scenario, each behind the same Node adapter on its own loopback port,
 * each answering `GET /api/v1/permits/{n}/status` with `c.json` of a body the size and shape of a
 * cached lookup's (taken from a real one before timing). The scenarios differ only in what is
 * mounted in front of that route: nothing; `hono/request-id` as the API mounts it; the request
 * observer (metrics, usage, access log); the URL and body limits; a do-nothing async
 * middleware; and the API's whole stack (`useRequestMiddleware`, what every API route passes).
 * Baseline in the same rounds: bare Hono `GET /hello`, as in bench/lookup.ts. wrk, one thread,
 * 50 connections, alternating rounds; medians and the median of per-round ratios.
 * Why: bench/lookup.ts finds the cached lookup under issue 15's 0.4 of bare Hono; this tells how
 * much of that budget is spent before a route's own work begins, and where.
 * Target: none; reported (bench/README.md).
 * Run: `node --import tsx bench/middleware-cost.ts` (by hand, never in `npm test`; needs `wrk`).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { createUsageRecorder } from '../src/accounts/usage.ts';
import { useRequestMiddleware } from '../src/api/app.ts';
import type { AppEnv } from '../src/api/context.ts';
import { requestObserver } from '../src/api/middleware/observe.ts';
import { MAX_REQUEST_ID_LENGTH, requestBodyLimit, urlLimit } from '../src/api/middleware/request-limits.ts';
import { DEFAULT_MAX_URL_LENGTH } from '../src/config.ts';
import { systemClock } from '../src/lib/clock.ts';
import { serveFetch } from '../src/runtime/node.ts';
import { startHarness } from '../test/harness.ts';
import { alternateRounds, BENCH_CONNECTIONS, BENCH_PLAN, median, wrkAvailable, wrkLoad } from './support.ts';

/** Alternating rounds; the median absorbs a noisy 2-core machine's outliers. */
const ROUNDS = 5;
const ROUND_SECONDS = 4;
const WARMUP_SECONDS = 2;
/** A captured LADBS permit the fixture portal serves: its cached answer is the body every route sends. */
const PERMIT = '16041-10000-23545';
const PATH = `/api/v1/permits/${PERMIT}/status`;

if (!wrkAvailable()) throw new Error('bench/middleware-cost.ts needs wrk (apt-get install wrk)');

const h = await startHarness({ demo: false, env: { plans: [BENCH_PLAN] } });
const usage = createUsageRecorder(h.server.app.live.db);
const listeners: { close(): Promise<void> }[] = [];
try {
  const key = await h.key(BENCH_PLAN.name);
  const headers = { 'x-api-key': key };
  await fetch(`${h.server.url}${PATH}?jurisdiction=ladbs`, { headers });
  const cached = await fetch(`${h.server.url}${PATH}`, { headers });
  const body = (await cached.json()) as { source?: string };
  if (cached.status !== 200 || body.source !== 'cached') throw new Error(`seed lookup: HTTP ${cached.status} source=${body.source}`);

  const deps = { metrics: h.server.app.metrics, usage, clock: systemClock, log: h.server.app.log, maxUrlLength: DEFAULT_MAX_URL_LENGTH };
  const passThrough: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  const scenarios: { name: string; label: string; mount: (app: Hono<AppEnv>) => void }[] = [
    { name: 'json', label: 'c.json of the body, no middleware', mount: () => {} },
    { name: 'async', label: '+ an async pass-through', mount: (app) => void app.use('*', passThrough) },
    { name: 'requestId', label: '+ hono/request-id', mount: (app) => void app.use('*', requestId({ limitLength: MAX_REQUEST_ID_LENGTH })) },
    { name: 'observer', label: '+ request observer', mount: (app) => void app.use('*', requestObserver(deps)) },
    {
      name: 'limits',
      label: '+ URL and body limits',
      mount: (app) => {
        app.use('*', urlLimit(DEFAULT_MAX_URL_LENGTH));
        app.use('*', requestBodyLimit());
      },
    },
    { name: 'stack', label: "+ the API's whole stack", mount: (app) => useRequestMiddleware(app, deps) },
  ];
  const urls: Record<string, string> = {};
  const bare = new Hono().get('/hello', (c) => c.text('Hello Hono!'));
  const bareListener = await serveFetch(bare.fetch, { port: 0, host: '127.0.0.1' });
  listeners.push(bareListener);
  urls.bare = `http://127.0.0.1:${bareListener.port}/hello`;
  for (const s of scenarios) {
    const app = new Hono<AppEnv>();
    s.mount(app);
    app.get('/api/v1/permits/:permit_number/status', (c) => c.json(body));
    const listener = await serveFetch(app.fetch, { port: 0, host: '127.0.0.1' });
    listeners.push(listener);
    urls[s.name] = `http://127.0.0.1:${listener.port}${PATH}`;
    const res = await fetch(urls[s.name]!);
    if (res.status !== 200 || ((await res.json()) as { source?: string }).source !== 'cached')
      throw new Error(`${s.name}: HTTP ${res.status}`);
  }

  const all = [{ name: 'bare', label: 'bare Hono GET /hello' }, ...scenarios];
  const ratios: Record<string, number[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  const results = await alternateRounds(
    all,
    {
      rounds: ROUNDS,
      warmupSeconds: WARMUP_SECONDS,
      roundSeconds: ROUND_SECONDS,
      run: (s, duration) => wrkLoad(s.label, { url: urls[s.name]!, connections: BENCH_CONNECTIONS, duration }),
    },
    (round, rps) => {
      for (const s of scenarios) ratios[s.name]!.push(rps[s.name]! / rps.bare!);
      console.log(`round ${round + 1}/${ROUNDS}: ${all.map((s) => `${s.name} ${rps[s.name]!.toFixed(0)}`).join('  ')}`);
    },
  );
  console.log(`\n${BENCH_CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_SECONDS} s per scenario, wrk, 1 thread, medians\n`);
  console.log(`${'scenario'.padEnd(36)} ${'req/s'.padStart(8)} ${'µs/req'.padStart(7)} ${'÷ bare'.padStart(7)}`);
  for (const s of all) {
    const rps = median(results[s.name]!.map((r) => r.requests.average));
    const ratio = ratios[s.name] ? median(ratios[s.name]!).toFixed(3) : '1';
    console.log(`${s.label.padEnd(36)} ${rps.toFixed(0).padStart(8)} ${(1e6 / rps).toFixed(1).padStart(7)} ${ratio.padStart(7)}`);
  }
  console.log("(µs/req: the server core's wall time per request at saturation; ÷ bare: median of per-round ratios)");
} finally {
  for (const l of listeners) await l.close();
  await usage.close();
  await h.close();
}
