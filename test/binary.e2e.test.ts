import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 19: `npm run build:binary` makes one executable that runs alone. Built here into a temp
 * directory (about 20 s on the shared 2-core machine), copied nowhere near the source tree, and
 * run from an empty directory with PATH stripped of node_modules and no NODE_PATH: no
 * node_modules, no source, no network (the demo plane's fixture portal is in-process loopback).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The build embeds ~130 MB (Bun, the libSQL native module, the pages); slow on a loaded machine. */
const BUILD_TIMEOUT_MS = 180_000;
/** First start seeds the demo database through the real adapters before it listens. */
const START_TIMEOUT_MS = 60_000;
const SHUTDOWN_WAIT_MS = 15_000;
const run = promisify(execFile);

describe('the single binary', () => {
  let dir: string;
  let bin: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'permitwatch-binary-'));
    bin = join(dir, 'permitwatch');
    await run(join(ROOT, 'node_modules/.bin/bun'), [join(ROOT, 'scripts/build-binary.mjs'), '--outfile', bin], { cwd: ROOT });
    mkdirSync(join(dir, 'work'));
    const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p && !p.includes('node_modules'));
    env = { PATH: path.join(delimiter), HOME: dir, PORT: '0', PERMITWATCH_LOG_LEVEL: 'warn', NO_COLOR: '1' };
  }, BUILD_TIMEOUT_MS);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => run(bin, args, { cwd: join(dir, 'work'), env });

  it('prints its version', async () => {
    const { stdout } = await cli('--version');
    expect(stdout.trim()).toBe('0.1.0');
  });

  it('creates a key in ./data (libSQL native module, migrations)', async () => {
    const { stdout } = await cli('keys', 'create', '--name', 'binary', '--plan', 'developer');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^sk_live_/);
  });

  it(
    'serves the demo dataset from its embedded pages, and stops on SIGTERM with exit 0',
    async () => {
      const child = spawn(bin, ['serve'], { cwd: join(dir, 'work'), env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + START_TIMEOUT_MS;
        let url: string | undefined;
        while (!(url = /listening on (http:\/\/\S+)/.exec(out)?.[1])) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the binary did not start\nstdout: ${out}\nstderr: ${err}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const res = await fetch(`${url}/api/v1/permits/16041-10000-23545/status`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-demo-mode')).toBe('true');
        expect(await res.json()).toMatchObject({ permit_number: '16041-10000-23545', status_phase: 'closed', source: 'cached' });
        // /docs works offline from the binary too: the Scalar bundle is embedded, not read from node_modules.
        const docs = await fetch(`${url}/docs/scalar.js`);
        expect(docs.status).toBe(200);
        expect((await docs.text()).length).toBeGreaterThan(100_000);
        child.kill('SIGTERM');
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), SHUTDOWN_WAIT_MS))]);
        expect(code, err).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    },
    START_TIMEOUT_MS + SHUTDOWN_WAIT_MS,
  );

  it('rebuilds the demo read models through its embedded worker', async () => {
    const { stdout } = await cli('rebuild', '--demo');
    expect(stdout).toMatch(/^rebuilt permits, timeline, .* from 12 events/);
  });
});
