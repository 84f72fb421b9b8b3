import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app.ts';
import type { Db } from '../../db/db.ts';
import { ALL_MIGRATIONS } from '../../db/migrations.ts';
import { createMetrics } from '../../metrics/registry.ts';
import { operationRoutes } from './operations.ts';

let db: Db;
beforeEach(async () => {
  db = await openDatabase('file::memory:');
});
afterEach(() => db.close());

async function ready(migrationIds: string[], dbs: Db[] = [db]) {
  const res = await operationRoutes({ version: 'test', dbs, migrationIds, metrics: createMetrics() }).request('/readyz');
  return { status: res.status, body: (await res.json()) as any };
}

describe('/readyz', () => {
  it('is ready when the database answers and every migration of this build is applied', async () => {
    expect(await ready(ALL_MIGRATIONS.map((m) => m.id))).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', migrations: 'ok' } },
    });
  });

  it('is 503 not_ready, naming the migration, when the database is behind this build', async () => {
    expect(await ready([...ALL_MIGRATIONS.map((m) => m.id), '9999_from_a_newer_build'])).toEqual({
      status: 503,
      body: { status: 'not_ready', checks: { database: 'ok', migrations: 'missing 9999_from_a_newer_build' } },
    });
  });

  it('is 503 not_ready when the database does not answer', async () => {
    const gone = await openDatabase('file::memory:');
    await gone.close();
    const res = await ready([], [gone]);
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toMatch(/^unreachable: /);
  });
});
