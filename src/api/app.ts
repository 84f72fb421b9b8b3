import type { Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Agent } from 'undici';
import type { Logger } from 'pino';
import type { Plan } from '../accounts/plans.ts';
import type { CounterStore } from '../accounts/counters.ts';
import type { UsageRecorder } from '../accounts/usage.ts';
import type { Db } from '../db/db.ts';
import type { Metrics } from '../metrics/registry.ts';
import type { AppEnv, DataPlane } from './context.ts';
import { postmanCollection } from './docs/postman.ts';
import { docsRoutes } from './docs/reference-page.ts';
import { withCollectionVariables } from './docs/postman-variables.ts';
import { publicOrigin } from './docs/public-origin.ts';
import { renderError } from './errors.ts';
import { createMeter, refundServerErrors } from './metering.ts';
import { auth } from './middleware/auth.ts';
import { MAX_REQUEST_ID_LENGTH, requestBodyLimit, urlLimit } from './middleware/request-limits.ts';
import { requestObserver } from './middleware/observe.ts';
import { createRouter, documentFrameworkErrors } from './router.ts';
import { STATUS_FAST_PATH, statusFastPath } from './status-fast-path.ts';
import { batchStatusRoutes } from './routes/batch-status.ts';
import { eventRoutes } from './routes/events.ts';
import { jurisdictionRoutes } from './routes/jurisdictions.ts';
import { keyRoutes } from './routes/keys.ts';
import { operationRoutes } from './routes/operations.ts';
import { permitRoutes } from './routes/permits.ts';
import { portfolioRoutes } from './routes/portfolio.ts';
import { searchRoutes } from './routes/search.ts';
import { usageRoutes } from './routes/usage.ts';
import { watchCalendarRoutes } from './routes/watch-calendar.ts';
import { watchlistRoutes } from './routes/watchlist.ts';
import { webhookToolRoutes } from './routes/webhook-tools.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { MCP_PATH, mcpRoutes } from '../mcp/http.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolveHost } from '../webhooks/target-guard.ts';

export const API_VERSION = '0.1.0';

export interface ApiDeps {
  accountsDb: Db;
  plans: readonly Plan[];
  live: DataPlane;
  demo?: DataPlane;
  log: Logger;
  clock: Clock;
  maxUrlLength: number;
  /** PERMITWATCH_PUBLIC_URL: the origin /openapi.json and /postman.json name, else the request's. */
  publicUrl?: string;
  batchTimeoutSeconds: number;
  demoDailyCap: number;
  /** The caller's network address (runtime-specific), for anonymous limits and votes. */
  clientAddress: (c: Context) => string;
  metrics: Metrics;
  usage: UsageRecorder;
  /** Rate-limit counters, in memory and written behind (accounts/counters.ts). */
  counters: CounterStore;
  /** Every migration id this build applies, for /readyz. */
  migrationIds: readonly string[];
  /** The status route's fast path (status-fast-path.ts); on unless false, which tests use to compare. */
  statusFastPath?: boolean;
  webhooks: {
    agent: Agent;
    allowPrivate: boolean;
    /** Resolves target names at registration, as the delivery agent does before connecting. */
    resolve: ResolveHost;
    secretOverlapMs: number;
    /** Pokes the dispatchers (a manual retry is due now). */
    wake: () => void;
  };
}

const OPENAPI_INFO: Parameters<ReturnType<typeof createRouter>['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Permitwatch API',
    version: API_VERSION,
    description:
      'Self-hosted building-permit status service. Send your key as `X-API-Key` or `Authorization: Bearer`. ' +
      'Without a key, permit routes answer from the demo dataset (`X-Demo-Mode: true`).',
  },
  servers: [{ url: '/' }],
  security: [{ ApiKey: [] }, { Bearer: [] }],
};

/**
 * The Hono app: request ids, URL limit, request metrics and usage, auth and data-plane choice,
 * the /api/v1 resources, operational endpoints, the OpenAPI document with its docs page and
 * Postman collection, and one error renderer. Every route is declared with its zod schema, so
 * validation, types and the document come from one place.
 */
export function createApi(deps: ApiDeps) {
  const app = createRouter();
  useRequestMiddleware(app, deps);

  app.route(
    '/',
    operationRoutes({
      version: API_VERSION,
      dbs: [deps.live.db, ...(deps.demo ? [deps.demo.db] : [])],
      migrationIds: deps.migrationIds,
      metrics: deps.metrics,
    }),
  );

  const v1 = createRouter();
  const meter = createMeter({
    counters: deps.counters,
    clock: deps.clock,
    demoDailyCap: deps.demoDailyCap,
    clientAddress: deps.clientAddress,
  });
  const refund = refundServerErrors(meter);
  const authenticate = auth({ meter, accountsDb: deps.accountsDb, plans: deps.plans, live: deps.live, demo: deps.demo, clock: deps.clock });
  v1.use('*', refund);
  // The one fast path (status-fast-path.ts): the status route's own handlers run inline, so it
  // sits before the auth middleware it calls; anything its schemas refuse goes on to the route.
  if (deps.statusFastPath !== false) v1.get(STATUS_FAST_PATH, statusFastPath(authenticate));
  v1.use('*', authenticate);
  // batch-status first: its literal path must win over /permits/{permit_number}.
  v1.route('/', batchStatusRoutes({ timeoutSeconds: deps.batchTimeoutSeconds }));
  // Likewise /permits/search, before the watchlist's and the record's /permits/{id}.
  v1.route('/', searchRoutes({ clock: deps.clock }));
  v1.route('/', permitRoutes());
  v1.route('/', portfolioRoutes());
  v1.route('/', watchCalendarRoutes({ accountsDb: deps.accountsDb, plans: deps.plans, live: deps.live, demo: deps.demo }));
  v1.route('/', watchlistRoutes({ clock: deps.clock, accountsDb: deps.accountsDb }));
  v1.route('/', jurisdictionRoutes({ clientAddress: deps.clientAddress, clock: deps.clock }));
  v1.route('/', keyRoutes({ accountsDb: deps.accountsDb, demoDb: deps.demo?.db, plans: deps.plans, clock: deps.clock }));
  v1.route('/', usageRoutes({ accountsDb: deps.accountsDb, clock: deps.clock, flush: () => deps.usage.flush() }));
  const { allowPrivate, resolve, secretOverlapMs } = deps.webhooks;
  v1.route('/', webhookRoutes({ clock: deps.clock, allowPrivate, resolve, secretOverlapMs }));
  v1.route('/', eventRoutes());
  v1.route('/', webhookToolRoutes({ clock: deps.clock, agent: deps.webhooks.agent, wake: deps.webhooks.wake }));
  app.route('/api/v1', v1);
  // MCP: the same caller, plane, plans, limits and usage as REST (issue 19; README "AI assistants").
  app.use(MCP_PATH, refund);
  app.use(MCP_PATH, authenticate);
  app.route('/', mcpRoutes({ version: API_VERSION, batchTimeoutSeconds: deps.batchTimeoutSeconds, clock: deps.clock, log: deps.log }));

  documentFrameworkErrors(app);
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', (c) => ({ ...OPENAPI_INFO, servers: [{ url: publicOrigin(c, deps.publicUrl) }] }));
  docsRoutes(app);
  // Converted once; each answer names the origin it was asked at (the document's is a placeholder).
  let postman: Promise<{ variable?: [] }> | undefined;
  app.get('/postman.json', async (c) => {
    postman ??= postmanCollection(app.getOpenAPI31Document(OPENAPI_INFO)) as Promise<{ variable?: [] }>;
    return c.json(withCollectionVariables(await postman, publicOrigin(c, deps.publicUrl)));
  });

  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError(renderError(deps.log));
  return app;
}

/**
 * What every request passes before any route: the request id first, so every answer carries it
 * (errors too); then the observer, so every answer is counted (a refused URL too); then the size
 * limits. Exported so bench/lookup.ts can put exactly this stack in front of a constant answer.
 */
export function useRequestMiddleware(
  app: Pick<Hono<AppEnv>, 'use'>,
  deps: Pick<ApiDeps, 'metrics' | 'usage' | 'clock' | 'log' | 'maxUrlLength'>,
): void {
  app.use('*', requestId({ limitLength: MAX_REQUEST_ID_LENGTH }));
  app.use('*', requestObserver({ metrics: deps.metrics, usage: deps.usage, clock: deps.clock, log: deps.log }));
  app.use('*', urlLimit(deps.maxUrlLength));
  app.use('*', requestBodyLimit());
}

/** The OpenAPI document of an app, as /openapi.json serves it. */
export function openApiDocument(app: ReturnType<typeof createApi>) {
  return app.getOpenAPI31Document(OPENAPI_INFO);
}
