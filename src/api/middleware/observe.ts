import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { UsageRecorder } from '../../accounts/usage.ts';
import type { Metrics } from '../../metrics/registry.ts';
import type { AppEnv } from '../context.ts';
import { MCP_PATH } from '../../mcp/http.ts';
import { innerMap } from '../../lib/inner-map.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from 'pino';
import { loggablePath } from './log-path.ts';

/**
 * Counts every request for /metrics and every /api/v1 and /mcp request for usage, once its answer
 * exists (errors included: Hono's onError has already rendered them): by route pattern (not raw
 * path, so permit numbers never become label values), status and latency. Usage is buffered;
 * nothing here waits on the database. Each request is also one access-log line at `info`:
 * method, path (credential-like query values redacted), status, ms, request id, key id.
 */
export function requestObserver(deps: { metrics: Metrics; usage: UsageRecorder; clock: Clock; log: Logger }): MiddlewareHandler<AppEnv> {
  // The access log is one pino call per request, skipped whole when info is off (issue 21).
  const logging = () => deps.log.isLevelEnabled('info');
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
    const ms = performance.now() - startedAt;
    deps.metrics.request(route, method, status, ms / 1000);
    const caller = c.get('caller');
    if (logging()) {
      deps.log.info(
        {
          method,
          path: loggablePath(c.req.url),
          status,
          ms: Math.round(ms * 10) / 10,
          request_id: c.get('requestId'),
          key_id: caller?.kind === 'key' ? caller.key.id : null,
        },
        'request',
      );
    }
    if (c.req.path.startsWith('/api/v1/') || c.req.path === MCP_PATH) {
      deps.usage.record({
        subject: caller?.kind === 'key' ? caller.key.id : 'anonymous',
        endpoint: endpointOf(method, route),
        status,
        at: deps.clock.now(),
      });
    }
  };
}
