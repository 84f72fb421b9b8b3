import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Router } from 'hono/router';
import type { H as Handler, RouterRoute } from 'hono/types';
import type { ZodType } from 'zod';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
import { requirePermission, type PermissionMiddleware } from './require-permission.ts';
import { errorResponses } from './schemas.ts';

/**
 * The errors the framework itself gives (schema validation → 400, the body limit → 413, a body
 * that is not JSON → 415), added to the document of every route they can happen on, so no
 * route can forget them. A route's own entry for a status wins.
 */
function withFrameworkErrors<R extends RouteConfig>(route: R): R {
  const request = route.request;
  const framework = {
    ...(request?.params || request?.query || request?.body ? { 400: errorResponses[400] } : {}),
    ...(request?.body ? { 413: errorResponses[413], 415: errorResponses[415] } : {}),
  };
  return { ...route, responses: { ...framework, ...route.responses } };
}

/** A failed schema check as the API's one 400: `invalid_request`, naming the first bad field. */
function invalidRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ApiError {
  const issue = issues[0];
  const field = issue?.path.map(String).join('.') || 'request';
  return new ApiError(400, 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Path and query validation in one synchronous step, with the same checks, values and errors
 * as @hono/zod-openapi's validators (query first, then path; a repeated query key is an array).
 * Theirs are two async middlewares that each read the Content-Type header, which makes the Node
 * adapter build a web Headers object from every request header: on a cached lookup that was
 * about an eighth of the app's time (bench/lookup.ts).
 */
function paramsAndQueryValidator(params: ZodType | undefined, query: ZodType | undefined): (c: Context) => void {
  // A URL without a query string always validates to the same result: parsed once, kept frozen.
  let noQuery: ReturnType<ZodType['safeParse']> | undefined;
  return (c) => {
    if (query) {
      let result: ReturnType<ZodType['safeParse']>;
      if (c.req.url.includes('?')) {
        const raw = c.req.queries();
        const value: Record<string, string | string[]> = {};
        for (const key in raw) value[key] = raw[key]!.length === 1 ? raw[key]![0]! : raw[key]!;
        result = query.safeParse(value);
      } else {
        if (!noQuery) {
          noQuery = query.safeParse({});
          if (noQuery.success) Object.freeze(noQuery.data);
        }
        result = noQuery;
      }
      if (!result.success) throw invalidRequest(result.error.issues);
      c.req.addValidatedData('query', result.data as object);
    }
    if (params) {
      const result = params.safeParse(c.req.param());
      if (!result.success) throw invalidRequest(result.error.issues);
      c.req.addValidatedData('param', result.data as object);
    }
  };
}

function isPermissionCheck(m: MiddlewareHandler): m is PermissionMiddleware {
  return typeof (m as Partial<PermissionMiddleware>).requiredPermission === 'string';
}

/**
 * A route without a body whose only middleware are permission checks runs as one handler: the
 * permission checks, then path and query validation, then the route's own handler, in the order
 * Hono would have run them as separate middleware, with the same errors. Each level of Hono's
 * middleware dispatch costs a promise and a closure; on a cached lookup, the levels of the app
 * were about a fifth of its throughput (bench/lookup.ts). The handler keeps the permission tag,
 * so the permission matrix can still be read from the router.
 */
function singleHandler(
  checks: readonly PermissionMiddleware[],
  validate: (c: Context) => void,
  handler: (c: Context, next: Next) => unknown,
): (c: Context, next: Next) => unknown {
  const run = (c: Context, next: Next) => {
    for (const check of checks) requirePermission(c as Context<AppEnv>, check.requiredPermission);
    validate(c);
    return handler(c, next);
  };
  return checks.length > 0 ? Object.assign(run, { requiredPermission: checks[0]!.requiredPermission }) : run;
}

/**
 * Every router of the app is made here, so each route's schema failures become the same
 * 400 `invalid_request` naming the field (sub-apps do not inherit a parent's hook), and each
 * route documents the framework's errors. Routes whose input is only a path and a query run as
 * one handler (`singleHandler`); routes with a body keep zod-openapi's validators.
 */
export function createRouter(options: { router?: Router<[Handler, RouterRoute]> } = {}) {
  const app = new OpenAPIHono<AppEnv>({
    ...(options.router ? { router: options.router } : {}),
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });
  const declare = app.openapi.bind(app) as (route: RouteConfig, handler: unknown, hook?: unknown) => unknown;
  app.openapi = ((route: RouteConfig, handler: (c: Context, next: Next) => unknown, hook?: unknown) => {
    const documented = withFrameworkErrors(route);
    const { params, query, ...otherInput } = documented.request ?? {};
    const { middleware, hide, ...described } = documented;
    const before = middleware ? (Array.isArray(middleware) ? middleware : [middleware]) : [];
    const foldable = hook === undefined && Object.keys(otherInput).length === 0 && before.every(isPermissionCheck);
    if (!foldable) return declare(documented, handler, hook);
    if (!hide) app.openAPIRegistry.registerPath(described);
    const run = singleHandler(before as PermissionMiddleware[], paramsAndQueryValidator(params as ZodType, query as ZodType), handler);
    return declare({ ...described, hide: true, request: undefined }, run);
  }) as typeof app.openapi;
  return app;
}
