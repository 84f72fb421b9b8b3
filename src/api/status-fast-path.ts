import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { requirePermission, type PermissionMiddleware } from './require-permission.ts';
import { permitStatus } from './routes/permits.ts';
import { LookupQuery, PermitParams } from './schemas.ts';

/**
 * THE ONE FAST PATH of the request path (issue 15), for the hottest call there is:
 * `GET /api/v1/permits/{permit_number}/status`.
 *
 * What it skips: Hono composing the status route's own four handlers one after another (the
 * auth middleware, the route's `permission('read')`, @hono/zod-openapi's param and query
 * validators, each an async layer, the validators reading Content-Type and parsing with
 * `safeParseAsync`). Here they run inline: the same auth middleware function, the same
 * permission check, the same zod schemas (synchronously), then the route's own `permitStatus`
 * and `c.json`. Everything registered before it (request id, request observer, URL and body
 * limits, the 5xx refund) runs exactly as for every other route.
 *
 * Why: on Node, bench/lookup.ts measured the cached lookup under issue 15's floor (0.4 of bare
 * Hono) on the idiomatic route alone, and over it with this path; the figures are in
 * bench/README.md.
 *
 * What it never does differently: a request the schemas refuse is not answered here; it falls
 * through (`next()`) to the documented route, which answers it as always (auth first, then the
 * 400 naming the field). The route stays registered with @hono/zod-openapi, so /openapi.json
 * and the validators are unchanged. test/status-fast-path.e2e.test.ts sends the same requests
 * to a server with and without this path and requires identical answers.
 */
export const STATUS_FAST_PATH = '/permits/:permit_number/status';

/** Query values as Hono's validator hands them to the schema: one value as itself, repeats as an array. */
function queryValues(queries: Record<string, string[]>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, list] of Object.entries(queries)) values[name] = list.length === 1 ? list[0]! : list;
  return values;
}

/** Resolves without going on: the auth middleware is run for its decision, not to continue a chain. */
const stop = async () => {};

/**
 * The status route's handlers inline, registered on the v1 router after the refund and before
 * the auth middleware (`authenticate`, the very instance the router uses).
 */
export function statusFastPath(authenticate: MiddlewareHandler<AppEnv>): PermissionMiddleware {
  const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
    const params = PermitParams.safeParse(c.req.param());
    const query = LookupQuery.safeParse(queryValues(c.req.queries()));
    if (!params.success || !query.success) return next();
    await authenticate(c, stop);
    requirePermission(c, 'read');
    return c.json(await permitStatus(c, { ...params.data, ...query.data }), 200);
  };
  return Object.assign(handler, { requiredPermission: 'read' as const });
}
