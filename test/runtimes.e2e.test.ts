import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';

/**
 * Issue 19: the same source under Node, Bun and Deno. Each runtime (the `bun` and `deno` dev
 * dependencies) creates a key with the CLI, then starts the real server once on a loopback port
 * with temp libSQL files and answers a demo lookup, a live lookup through the fixture portal,
 * and delivers a webhook to a loopback receiver (allow-private); a probe under the same runtime
 * shows the target guard refusing loopback without it; SIGTERM ends the server with exit 0.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = (name: string) => join(ROOT, 'node_modules/.bin', name);
const RUNTIMES = [
  // Node runs the compiled CLI (`npm test` builds dist/ first), as `npm start` does; the probe needs tsx.
  { name: 'node', cli: [process.execPath, join(ROOT, 'bin/permitwatch.mjs')], script: [process.execPath, '--import', 'tsx'] },
  { name: 'bun', cli: [BIN('bun'), join(ROOT, 'src/main.ts')], script: [BIN('bun')] },
  { name: 'deno', cli: [BIN('deno'), 'run', '-A', join(ROOT, 'src/main.ts')], script: [BIN('deno'), 'run', '-A'] },
] as const;
/** A cold start type-checks nothing but still loads the whole app; the shared 2-core machine is slow. */
const START_TIMEOUT_MS = 60_000;
/** How long a delivery may take to arrive once its event is appended (p99 is ~50 ms unloaded). */
const DELIVERY_WAIT_MS = 15_000;
/** Exit after SIGTERM within this (stop accepting, finish in flight, close the databases). */
const SHUTDOWN_WAIT_MS = 15_000;

interface Child {
  out: string;
  err: string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

function run(cmd: readonly string[], env: Record<string, string>): Child {
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const c: Child = {
    out: '',
    err: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
  child.stdout.on('data', (d: Buffer) => (c.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (c.err += d.toString()));
  return c;
}

async function until<T>(what: string, ms: number, probe: () => T | undefined, child?: Child): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${child ? `\nstdout: ${child.out}\nstderr: ${child.err}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(RUNTIMES)('the same source under $name', (runtime) => {
  let dir: string;
  let portal: FixturePortal;
  let receiver: Receiver;
  let server: Child;
  let url: string;
  let key: string;
  let secret = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `permitwatch-${runtime.name}-`));
    portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
    receiver = await startReceiver({ secrets: () => (secret ? [secret] : []) });
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('PERMITWATCH_')),
    ) as Record<string, string>;
    env = {
      ...inherited,
      PORT: '0',
      PERMITWATCH_HOST: '127.0.0.1',
      PERMITWATCH_DATABASE_URL: `file:${join(dir, 'live.db')}`,
      PERMITWATCH_DEMO_DATABASE_URL: `file:${join(dir, 'demo.db')}`,
      PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
      PERMITWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
      PERMITWATCH_LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    const keys = run([...runtime.cli, 'keys', 'create', '--name', 'smoke', '--plan', 'developer', '--permissions', 'read,write'], env);
    expect(await keys.exited, keys.err).toBe(0);
    key = keys.out.trim().split('\n').at(-1)!;
    server = run([...runtime.cli, 'serve'], env);
    url = await until('the server to listen', START_TIMEOUT_MS, () => /listening on (http:\/\/\S+)/.exec(server.out)?.[1], server);
  }, 2 * START_TIMEOUT_MS);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await Promise.all([portal?.close(), receiver?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an sk_live_ key with the CLI', () => {
    expect(key).toMatch(/^sk_live_/);
  });

  it('answers a demo lookup without a key', async () => {
    const res = await fetch(`${url}/api/v1/permits/16041-10000-23545/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-demo-mode')).toBe('true');
    expect(await res.json()).toMatchObject({ permit_number: '16041-10000-23545', jurisdiction: 'ladbs', status_phase: 'closed' });
  });

  it('registers a webhook to a loopback receiver (allow-private)', async () => {
    const res = await fetch(`${url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${receiver.url}/hooks`, events: ['permit.created'] }),
    });
    const body = (await res.json()) as { secret: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    secret = body.secret;
  });

  it('looks a permit up live through the fixture portal, and delivers its permit.created, signed', async () => {
    const res = await fetch(`${url}/api/v1/permits/26014-10000-00017/status`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ permit_number: '26014-10000-00017', source: 'live', status_phase: 'in_review' });
    const delivery = await until('the delivery', DELIVERY_WAIT_MS, () => receiver.received.find((d) => d.event === 'permit.created'));
    expect(JSON.parse(delivery.body)).toMatchObject({ event: 'permit.created' });
    expect(delivery.verification).toMatchObject({ signedoff: true, standard: true });
  });

  it('keeps the target guard: a loopback delivery without allow-private is refused before connecting', async () => {
    const before = receiver.received.length;
    const probe = run([...runtime.script, join(ROOT, 'test/guard-probe.ts'), `${receiver.url}/guard`], env);
    expect(await probe.exited, probe.err).toBe(0);
    expect(JSON.parse(probe.out)).toEqual({ literal: 'target_blocked', named: 'target_blocked', check: true });
    expect(receiver.received.length).toBe(before);
  });

  it('shuts down on SIGTERM with exit code 0', async () => {
    server.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('still running'), SHUTDOWN_WAIT_MS))]);
    expect(code, server.err).toBe(0);
  });
});
