import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { UsageRecorder } from '../../accounts/usage.ts';
import type { Metrics } from '../../metrics/registry.ts';
import type { AppEnv } from '../context.ts';
import { innerMap } from '../../lib/inner-map.ts';
import type { Clock } from '../../lib/clock.ts';

/**
 * Counts every request for /metrics and every /api/v1 request for usage, once its answer
 * exists (errors included: Hono's onError has already rendered them): by route pattern (not raw
 * path, so permit numbers never become label values), status and latency. Usage is buffered;
 * nothing here waits on the database.
 */
export function requestObserver(deps: { metrics: Metrics; usage: UsageRecorder; clock: Clock }): MiddlewareHandler<AppEnv> {
  // "METHOD /route" per route pattern and method, built once: patterns and methods are few.
  const endpoints = new Map<string, Map<string, string>>();
  const endpointOf = (method: string, route: string) => {
    const byMethod = innerMap(endpoints, route);
    let endpoint = byMethod.get(method);
    if (endpoint === undefined) byMethod.set(method, (endpoint = `${method} ${route}`));
    return endpoint;
  };
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    const route = routePath(c, -1) || 'unmatched';
    const status = c.res.status;
    const method = c.req.method;
    deps.metrics.request(route, method, status, (performance.now() - startedAt) / 1000);
    if (c.req.path.startsWith('/api/v1/')) {
      const caller = c.get('caller');
      deps.usage.record({
        subject: caller?.kind === 'key' ? caller.key.id : 'anonymous',
        endpoint: endpointOf(method, route),
        status,
        at: deps.clock.now(),
      });
    }
  };
}
