import type { Context, MiddlewareHandler } from 'hono';
import type { Permission } from '../accounts/keys.ts';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

/**
 * Throws unless the caller holds `permission`. Anonymous (demo) callers may only read: any
 * route that changes something needs a key. Keys carry permissions independently (Plotwise's
 * model): `write` does not imply `admin`, and `admin` does not imply `write`.
 */
export function requirePermission(c: Context<AppEnv>, permission: Permission): void {
  const caller = c.get('caller');
  if (caller.kind === 'anonymous') {
    if (permission === 'read') return;
    throw new ApiError(401, 'invalid_api_key', `this route needs an API key with the "${permission}" permission`);
  }
  if (!caller.key.permissions.includes(permission)) {
    throw new ApiError(403, 'insufficient_permissions', `this API key lacks the "${permission}" permission`, {
      required_permission: permission,
    });
  }
}

/** The same check as route middleware, declared in a route's `createRoute({ middleware })`. */
export function permission(p: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requirePermission(c, p);
    await next();
  };
}
