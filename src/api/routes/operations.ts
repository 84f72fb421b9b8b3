import { createRoute, z } from '@hono/zod-openapi';
import { appliedMigrations } from '../../db/migrate.ts';
import type { Db } from '../../db/db.ts';
import type { Metrics } from '../../metrics/registry.ts';
import { createRouter } from '../router.ts';

const tags = ['Operations'];

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags,
  security: [],
  summary: 'Liveness: the process answers',
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok'), version: z.string() }) } } },
  },
});

const ReadyBody = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.string(), migrations: z.string() }),
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags,
  security: [],
  summary: 'Readiness: the database answers and every migration this build knows is applied',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadyBody } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: ReadyBody } } },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags,
  security: [],
  summary: 'Prometheus metrics: requests by route and status, latency, lookups by source, portal fetch outcomes',
  responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
});

/** Unauthenticated operational endpoints for orchestrators and scrapers. */
export function operationRoutes(deps: { version: string; dbs: Db[]; migrationIds: readonly string[]; metrics: Metrics }) {
  const app = createRouter();
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const, version: deps.version }, 200));
  app.openapi(readyRoute, async (c) => {
    let database = 'ok';
    let migrations = 'ok';
    for (const db of deps.dbs) {
      try {
        const applied = new Set(await appliedMigrations(db));
        const missing = deps.migrationIds.filter((id) => !applied.has(id));
        if (missing.length > 0) migrations = `missing ${missing.join(', ')}`;
      } catch (err) {
        database = `unreachable: ${(err as Error).message}`;
      }
    }
    const ready = database === 'ok' && migrations === 'ok';
    return c.json({ status: ready ? ('ready' as const) : ('not_ready' as const), checks: { database, migrations } }, ready ? 200 : 503);
  });
  app.openapi(metricsRoute, async (c) => {
    // prom-client's content type carries the exposition format version Prometheus expects.
    return c.text(await deps.metrics.registry.metrics(), 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return app;
}
