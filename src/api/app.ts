import { requestId } from 'hono/request-id';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { Plan } from '../accounts/plans.ts';
import type { Db } from '../db/db.ts';
import type { DataPlane } from './context.ts';
import { ApiError, renderError } from './errors.ts';
import { auth } from './middleware/auth.ts';
import { createMeter } from './metering.ts';
import { createRouter } from './router.ts';
import { batchStatusRoutes } from './routes/batch-status.ts';
import { keyRoutes } from './routes/keys.ts';
import { jurisdictionRoutes } from './routes/jurisdictions.ts';
import { permitRoutes } from './routes/permits.ts';

export const API_VERSION = '0.1.0';

export interface ApiDeps {
  accountsDb: Db;
  plans: readonly Plan[];
  live: DataPlane;
  demo?: DataPlane;
  log: Logger;
  now: () => number;
  maxUrlLength: number;
  batchTimeoutSeconds: number;
  demoDailyCap: number;
  /** The caller's network address (runtime-specific), for anonymous limits and votes. */
  clientAddress: (c: Context) => string;
}

/**
 * The Hono app: request ids, URL limit, auth and data-plane choice, the /api/v1 resources, and
 * one error renderer. Validation failures of any route schema become 400 `invalid_request`
 * naming the field.
 */
export function createApi(deps: ApiDeps) {
  const app = createRouter();

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    if (c.req.url.length > deps.maxUrlLength) {
      throw new ApiError(400, 'invalid_request', `URL is longer than ${deps.maxUrlLength} characters`);
    }
    return next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', version: API_VERSION }));

  const v1 = createRouter();
  const meter = createMeter({ accountsDb: deps.accountsDb, now: deps.now, demoDailyCap: deps.demoDailyCap, clientAddress: deps.clientAddress });
  v1.use('*', async (c, next) => {
    c.set('meter', meter);
    await next();
  });
  v1.use('*', auth({ accountsDb: deps.accountsDb, plans: deps.plans, live: deps.live, demo: deps.demo, now: deps.now }));
  // batch-status first: its literal path must win over /permits/{permit_number}.
  v1.route('/', batchStatusRoutes({ timeoutSeconds: deps.batchTimeoutSeconds }));
  v1.route('/', permitRoutes());
  v1.route('/', keyRoutes({ accountsDb: deps.accountsDb, plans: deps.plans, now: deps.now }));
  v1.route('/', jurisdictionRoutes({ clientAddress: deps.clientAddress, now: deps.now }));
  app.route('/api/v1', v1);

  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError(renderError(deps.log));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Permitwatch API', version: API_VERSION, description: 'Self-hosted building-permit status service' },
    servers: [{ url: '/' }],
  });
  return app;
}
