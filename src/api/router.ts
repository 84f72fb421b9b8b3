import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
import { errorResponses } from './schemas.ts';

/** A failed schema check as the API's one 400: `invalid_request`, naming the first bad field. */
export function invalidRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ApiError {
  const issue = issues[0];
  const field = issue?.path.map(String).join('.') || 'request';
  return new ApiError(400, 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`);
}

/**
 * A router of the app: @hono/zod-openapi's own, whose validators turn a schema failure into
 * the 400 `invalid_request` naming the field. Sub-routers mounted with `app.route()` resolve
 * this hook through their parent too; setting it on each keeps a router tested on its own
 * answering the same way.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });
}

/**
 * The errors the framework itself gives (schema validation → 400, the body limit → 413, a body
 * that is not JSON → 415), added to the document of every route they can happen on, so no
 * route can forget them. A route's own entry for a status wins.
 */
export function withFrameworkErrors<R extends RouteConfig>(route: R): R {
  const request = route.request;
  const framework = {
    ...(request?.params || request?.query || request?.body ? { 400: errorResponses[400] } : {}),
    ...(request?.body ? { 413: errorResponses[413], 415: errorResponses[415] } : {}),
  };
  return { ...route, responses: { ...framework, ...route.responses } };
}

/**
 * Documents the framework's errors on every route registered so far (see withFrameworkErrors).
 * Called once by the app after its routers are mounted; only the document changes, not routing.
 */
export function documentFrameworkErrors(app: OpenAPIHono<AppEnv>): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type === 'route') definition.route = withFrameworkErrors(definition.route);
  }
}
