import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../src/app.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../src/cli/context.ts';
import { runCliCaptured } from './run-cli.ts';

/** What a user sees when the service cannot start or a command is misused: a sentence and one exit-code scheme. */
let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-startup-'));
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => busy.close(done));
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  PERMITWATCH_DATABASE_URL: `file:${join(dir, 'live.db')}`,
  PERMITWATCH_DEMO: 'false',
  PERMITWATCH_LOG_LEVEL: 'silent',
  PERMITWATCH_HOST: '127.0.0.1',
});

describe('start-up errors in words', () => {
  it('a port in use names the port and PORT=, with no stack trace', async () => {
    const r = await runCliCaptured(['serve'], { ...env(), PORT: String(busyPort) });
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.err).toContain(`port ${busyPort} is already in use`);
    expect(r.err).toContain('PORT=');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('an address that is not on this machine names PERMITWATCH_HOST', async () => {
    const r = await runCliCaptured(['serve'], { ...env(), PORT: '0', PERMITWATCH_HOST: '192.0.2.1' });
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.err).toContain('"192.0.2.1" is not an address of this machine');
  });

  it('an unsupported database URL is a usage error naming the forms', async () => {
    const r = await runCliCaptured(['keys', 'list'], { ...env(), PERMITWATCH_DATABASE_URL: 'postgres://db/x' });
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain('PERMITWATCH_DATABASE_URL: unsupported database URL (expected file:');
  });

  it('a database in a directory that does not exist is refused, not created', async () => {
    const url = `file:${join(dir, 'no-such-dir', 'x.db')}`;
    const r = await runCliCaptured(['keys', 'list'], { ...env(), PERMITWATCH_DATABASE_URL: url });
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.err).toContain('does not exist');
    await expect(openDatabase(url)).rejects.toThrow('fix PERMITWATCH_DATABASE_URL');
  });
});

describe('exit codes', () => {
  it('0 for --version and --help, 2 for an unknown command or option', async () => {
    expect((await runCliCaptured(['--version'], env())).code).toBe(EXIT_OK);
    expect((await runCliCaptured(['--help'], env())).code).toBe(EXIT_OK);
    const unknown = await runCliCaptured(['frobnicate'], env());
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    expect((await runCliCaptured(['keys', 'list', '--frob'], env())).code).toBe(EXIT_USAGE);
  });

  it('keys list prints a header row', async () => {
    const created = await runCliCaptured(['keys', 'create', '--name', 'ci'], env());
    expect(created.code).toBe(EXIT_OK);
    const listed = await runCliCaptured(['keys', 'list'], env());
    const [header, row] = listed.out.trim().split('\n');
    expect(header).toMatch(/^ID\s+PREFIX\s+NAME\s+PLAN\s+PERMISSIONS\s+STATE\s+LAST USED$/);
    expect(row).toContain('ci');
  });
});

describe('the installed command', () => {
  it('runs from the compiled dist/ (built by npm ci and npm test), without tsx', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/permitwatch.mjs', '--version']);
    expect(stdout.trim()).toBe('0.1.0');
  });
});
