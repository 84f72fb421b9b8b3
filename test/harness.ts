import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { DEMO_PERMITS, FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { createKey, type Permission } from '../src/accounts/keys.ts';
import { ConfigSchema, type Config } from '../src/config.ts';
import type { Jurisdiction } from '../src/jurisdictions/jurisdiction.ts';
import type { Clock } from '../src/lib/clock.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import type { ResolveHost } from '../src/webhooks/target-guard.ts';

export interface Harness {
  server: RunningServer;
  /** The live plane's portal: a fixture portal of its own, reached by config override only. */
  portal: FixturePortal;
  dir: string;
  config: Config;
  /** Stops the server and starts a new one on the same database files (a process restart). */
  restart(): Promise<void>;
  key(plan?: string, options?: { sandbox?: boolean; permissions?: Permission[] }): Promise<string>;
  get(path: string, key?: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  post(path: string, body: unknown, key?: string): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/**
 * Starts the real server on a free loopback port with real libSQL files in a temp dir; the live
 * plane's jurisdictions are pointed at a fixture portal through PERMITWATCH_PORTAL_OVERRIDES-style
 * config, exactly as a user would point them at a mirror.
 */
export async function startHarness(
  options: {
    demo?: boolean;
    jurisdictions?: Jurisdiction[];
    clock?: Clock;
    env?: Record<string, unknown>;
    /** The portal override string, given the fixture portal's URL (default `*=<url>`). */
    overrides?: (portalUrl: string) => string;
    /** Resolves webhook target names instead of DNS, so guard tests never touch the network. */
    webhookResolve?: ResolveHost;
    /** The server's logger (default: silent). */
    log?: Logger;
    /** false: the status route without its fast path (test/status-fast-path.e2e.test.ts compares both). */
    statusFastPath?: boolean;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'permitwatch-e2e-'));
  const portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
  const config = ConfigSchema.parse({
    port: 0,
    host: '127.0.0.1',
    database_url: `file:${join(dir, 'live.db')}`,
    demo_database_url: `file:${join(dir, 'demo.db')}`,
    demo: options.demo ?? true,
    portal_overrides: options.overrides ? options.overrides(portal.url) : `*=${portal.url}`,
    log_level: 'silent',
    ...options.env,
  });
  const start = () =>
    startServer({
      config,
      log: options.log ?? pino({ level: 'silent' }),
      jurisdictions: options.jurisdictions,
      clock: options.clock,
      webhookResolve: options.webhookResolve ?? noDns,
      demoData: { routes: FIXTURE_ROUTES, permits: DEMO_PERMITS },
      statusFastPath: options.statusFastPath,
    });
  const h: Harness = {
    server: await start(),
    portal,
    dir,
    config,
    async restart() {
      await h.server.close();
      h.server = await start();
    },
    async key(plan = 'developer', o = {}) {
      const { key } = await createKey(h.server.app.live.db, { name: `test-${plan}`, plan, ...o });
      return key;
    },
    get(path, key, headers = {}) {
      return request(`${h.server.url}${path}`, { headers: { ...(key ? { 'x-api-key': key } : {}), ...headers } });
    },
    post(path, body, key) {
      return request(`${h.server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await h.server.close();
      await portal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/**
 * Routes the app serves that are deliberately not in /openapi.json: the document itself and its
 * views, and the MCP endpoint (JSON-RPC, described by its tools/list; its tools check permissions
 * per call, test/mcp-http.e2e.test.ts).
 */
export const UNDOCUMENTED_BY_DESIGN: ReadonlySet<string> = new Set([
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/init.js',
  'GET /docs/scalar.js',
  'GET /postman.json',
  'POST /mcp',
  'GET /mcp',
  'DELETE /mcp',
]);

/** The default webhook resolver of tests: none of them may reach DNS, so a name resolves to nothing. */
const noDns: ResolveHost = async (hostname) => {
  throw Object.assign(new Error(`tests resolve no names (${hostname}): pass webhookResolve`), { code: 'ENOTFOUND' });
};

/** fetch, with the body parsed as JSON when it is JSON (kept as text otherwise). */
export async function request(url: string, init: RequestInit): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: res.status, headers: res.headers, body };
}

/** One API call as a client makes it: the key in X-API-Key, a JSON body when given. */
export function callApi(base: string, method: string, path: string, key: string, body?: unknown) {
  return request(`${base}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** Polls `what` every 25 ms until `ok` holds or `ms` pass; returns the last value either way. */
export async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const DETAIL_PATH = '/OnlineServices/PermitReport/PcisPermitDetail';
export function ladbsRouteId(number: string): string {
  const [id1, id2, id3] = number.split('-');
  return `GET ${DETAIL_PATH}?id1=${id1}&id2=${id2}&id3=${id3}`;
}

/** A loopback port nothing listens on (bound, noted, closed): connections to it are refused. */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
