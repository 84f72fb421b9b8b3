import { existsSync } from 'node:fs';
import { ALL_MIGRATIONS } from '../db/migrations.ts';
import { openDb } from '../db/open.ts';
import { embeddedPath } from '../db/url.ts';
import { portalBaseUrl } from '../ingest/lookup.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { createDeliveryAgent } from '../webhooks/post.ts';
import { CliError, EXIT_FAILURE, type CliContext } from './context.ts';
import { checkDatabase, checkGuard, checkMigrations, checkPortals, portalProbes, type CheckResult } from './doctor-checks.ts';
import { printTable } from './table.ts';

/**
 * Runs every check on the configured live database and portals. The database is opened
 * without applying migrations (the doctor looks, it does not fix): pending ones are reported.
 */
export async function runDoctor(ctx: CliContext, clock: Clock = systemClock): Promise<CheckResult[]> {
  const { config } = ctx;
  const results: CheckResult[] = [];
  let db;
  const file = embeddedPath(config.database_url);
  if (file && !existsSync(file)) {
    // Opening would create it: the doctor looks, it does not make a database where none was.
    results.push({
      check: 'database',
      status: 'fail',
      detail: `${file} does not exist: PERMITWATCH_DATABASE_URL points elsewhere than meant, or the server has never started`,
    });
  } else {
    try {
      db = openDb(config.database_url, { authToken: config.database_auth_token });
    } catch (err) {
      results.push({ check: 'database', status: 'fail', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  if (db) {
    try {
      results.push(...(await checkDatabase(db)));
      if (results.every((r) => r.status !== 'fail')) results.push(await checkMigrations(db, ALL_MIGRATIONS));
    } finally {
      await db.close().catch(() => undefined);
    }
  }
  const catalog = createCatalog();
  const probes = portalProbes(catalog.all(), (j) => portalBaseUrl(j, config.portal_overrides));
  results.push(...(await checkPortals(probes, clock)));
  const agent = createDeliveryAgent({ allowPrivate: config.webhook_allow_private });
  try {
    results.push(await checkGuard(agent, config.webhook_allow_private));
  } finally {
    await agent.close();
  }
  return results;
}

/**
 * `permitwatch doctor [--json]`: database reachable and writable, migrations current, each
 * portal reachable through the overrides, the clock against a portal's, the webhook target
 * guard in force. A table (or `--json`: `{ ok, checks }`); exit 1 if any check failed
 * (warnings alone exit 0).
 */
export async function doctorCommand(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const checks = await runDoctor(ctx);
  const failed = checks.filter((c) => c.status === 'fail').length;
  if (options.json) ctx.out(JSON.stringify({ ok: failed === 0, checks }, null, 2));
  else
    printTable(
      ctx,
      ['CHECK', 'STATUS', 'DETAIL'],
      checks.map((c) => [c.check, c.status.toUpperCase(), c.detail]),
    );
  if (failed > 0) throw new CliError(`${failed} check(s) failed`, EXIT_FAILURE);
}
