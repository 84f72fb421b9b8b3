import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../fixtures/routes.ts';
import { createKey, revokeKey } from '../src/accounts/keys.ts';
import { readUsage } from '../src/accounts/usage.ts';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { startFixturePortal, type FixturePortal } from '../src/demo/fixture-portal.ts';
import { REFUSED_BY_APP } from '../src/mcp/stdio.ts';
import { until } from './harness.ts';

const FINALED = '16041-10000-23545';
const UNKNOWN = '99999-10000-00001';
const AMBIGUOUS = 'BLD26-02789';
/** A plan that runs out in a test (PERMITWATCH_PLANS), like the HTTP test's. */
const THREE_A_MONTH = { name: 'three_a_month', monthly_limit: 3, burst_per_minute: 100, force_refresh: false };
const BIN = join(import.meta.dirname, '..', 'bin', 'permitwatch.mjs');

/**
 * `permitwatch mcp` as a desktop assistant starts it: the built CLI spawned by the SDK's stdio
 * client, its databases in a temp dir, the live plane's portals pointed at a loopback fixture
 * portal, so nothing reaches the network.
 */
describe('permitwatch mcp over stdio', () => {
  let dir: string;
  let portal: FixturePortal;
  let db: Db;
  let env: Record<string, string>;
  const clients: Client[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-mcp-stdio-'));
    portal = await startFixturePortal({ routes: FIXTURE_ROUTES });
    env = {
      PERMITWATCH_DATABASE_URL: `file:${join(dir, 'live.db')}`,
      PERMITWATCH_DEMO_DATABASE_URL: `file:${join(dir, 'demo.db')}`,
      PERMITWATCH_PORTAL_OVERRIDES: `*=${portal.url}`,
      PERMITWATCH_PLANS: JSON.stringify([THREE_A_MONTH]),
      PERMITWATCH_LOG_LEVEL: 'warn',
    };
    db = await openDatabase(env.PERMITWATCH_DATABASE_URL!);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await db.close();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function spawnMcp(key?: string) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: { ...getDefaultEnvironment(), ...env, ...(key ? { PERMITWATCH_API_KEY: key } : {}) },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'permitwatch-test', version: '1.0.0' });
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
    client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const errorBody = (r: CallToolResult) => {
    expect(r.isError).toBe(true);
    return JSON.parse(r.content[0]?.type === 'text' ? r.content[0].text : '{}');
  };

  it('without a key lists the tools and serves the demo dataset', async () => {
    const client = await spawnMcp();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'get_permit_status',
        'batch_permit_status',
        'list_jurisdictions',
        'get_permit_history',
        'get_permit_inspections',
      ]),
    );
    const status = await call(client, 'get_permit_status', { permit_number: FINALED });
    expect(status.structuredContent).toMatchObject({
      permit_number: FINALED,
      source: 'cached',
      data_freshness: { refresh_available: false },
    });
    expect(status.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('[closed]') });
  });

  it('with PERMITWATCH_API_KEY reads the live plane through the portal, charges the key and records its usage', async () => {
    const { key, record } = await createKey(db, { name: 'assistant', plan: THREE_A_MONTH.name });
    const client = await spawnMcp(key);
    expect((await call(client, 'get_permit_status', { permit_number: FINALED })).structuredContent).toMatchObject({ source: 'live' });
    expect(errorBody(await call(client, 'get_permit_status', { permit_number: UNKNOWN }))).toMatchObject({ error: 'permit_not_found' });
    expect(errorBody(await call(client, 'get_permit_inspections', { permit_number: AMBIGUOUS }))).toMatchObject({
      error: 'multiple_jurisdictions',
      candidates: [{ slug: 'aca:boise' }, { slug: 'aca:cosp' }],
    });
    // Three lookups, three credits, as on REST: the ambiguous number was charged too.
    expect(errorBody(await call(client, 'get_permit_history', { permit_number: FINALED }))).toMatchObject({ error: 'rate_limit_exceeded' });
    await client.close();
    // The usage rows were written by the child on its way out.
    const usage = await until(
      () => readUsage(db, [record.id], Date.now()),
      (u) => u.top_endpoints.length > 0,
    );
    expect(usage.top_endpoints).toContainEqual(expect.objectContaining({ endpoint: 'POST /mcp', requests: expect.any(Number) }));
  });

  it('answers a key revoked while it runs with a JSON-RPC error carrying invalid_api_key', async () => {
    const { key, record } = await createKey(db, { name: 'revoked-later', plan: 'developer' });
    const client = await spawnMcp(key);
    expect((await call(client, 'list_jurisdictions')).isError).toBeFalsy();
    await revokeKey(db, record.id);
    // Another process's commit reaches the child's key cache within its data_version poll.
    const refused = await until(
      () =>
        call(client, 'list_jurisdictions').then(
          () => undefined,
          (err: unknown) => err as { code: number; data?: unknown },
        ),
      (err) => err !== undefined,
    );
    expect(refused).toMatchObject({ code: REFUSED_BY_APP, data: { error: 'invalid_api_key', message: 'API key has been revoked' } });
  });

  it('refuses to start with an unknown or revoked key, saying so on stderr', async () => {
    const run = promisify(execFile);
    const failed = await run(process.execPath, [BIN, 'mcp'], { env: { ...env, PERMITWATCH_API_KEY: 'sk_live_nope' } }).catch((e) => e);
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('PERMITWATCH_API_KEY is not a key of this server'),
    });
  });
});
