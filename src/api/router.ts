import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
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
 * about a fifth of the app's time (bench/lookup.ts).
 */
function validateParamsAndQuery(params: ZodType | undefined, query: ZodType | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (query) {
      const raw = c.req.queries();
      const value: Record<string, string | string[]> = {};
      for (const key in raw) value[key] = raw[key]!.length === 1 ? raw[key]![0]! : raw[key]!;
      const result = query.safeParse(value);
      if (!result.success) throw invalidRequest(result.error.issues);
      c.req.addValidatedData('query', result.data as object);
    }
    if (params) {
      const result = params.safeParse(c.req.param());
      if (!result.success) throw invalidRequest(result.error.issues);
      c.req.addValidatedData('param', result.data as object);
    }
    await next();
  };
}

/**
 * Every router of the app is made here, so each route's schema failures become the same
 * 400 `invalid_request` naming the field (sub-apps do not inherit a parent's hook), and each
 * route documents the framework's errors. Routes whose input is only a path and a query are
 * validated by `validateParamsAndQuery`; routes with a body keep zod-openapi's validators.
 */
export function createRouter() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });
  const declare = app.openapi.bind(app) as (route: RouteConfig, handler: unknown, hook?: unknown) => unknown;
  app.openapi = ((route: RouteConfig, handler: unknown, hook?: unknown) => {
    const documented = withFrameworkErrors(route);
    const { params, query, ...otherInput } = documented.request ?? {};
    if (hook !== undefined || (!params && !query) || Object.keys(otherInput).length > 0) return declare(documented, handler, hook);
    const { middleware, hide, ...described } = documented;
    if (!hide) app.openAPIRegistry.registerPath(described);
    const before = middleware ? (Array.isArray(middleware) ? middleware : [middleware]) : [];
    return declare(
      { ...described, hide: true, request: undefined, middleware: [...before, validateParamsAndQuery(params as ZodType, query as ZodType)] },
      handler,
    );
  }) as typeof app.openapi;
  return app;
}
