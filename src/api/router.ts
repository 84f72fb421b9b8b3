import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

/**
 * Every router of the app is made here, so each route's schema failures become the same
 * 400 `invalid_request` naming the field (sub-apps do not inherit a parent's hook).
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.join('.') || 'request';
        throw new ApiError(400, 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`);
      }
    },
  });
}
