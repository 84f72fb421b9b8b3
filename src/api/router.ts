import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
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

/**
 * Every router of the app is made here, so each route's schema failures become the same
 * 400 `invalid_request` naming the field (sub-apps do not inherit a parent's hook), and each
 * route documents the framework's errors.
 */
export function createRouter() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.join('.') || 'request';
        throw new ApiError(400, 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`);
      }
    },
  });
  const declare = app.openapi;
  app.openapi = ((route: RouteConfig, ...rest: unknown[]) =>
    (declare as (...a: unknown[]) => unknown)(withFrameworkErrors(route), ...rest)) as typeof app.openapi;
  return app;
}
