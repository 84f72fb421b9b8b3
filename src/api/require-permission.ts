import type { Context, MiddlewareHandler } from 'hono';
import type { Permission } from '../accounts/keys.ts';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

/**
 * Whether a key's permissions grant `permission`. Plotwise's model (reference
 * plotwise-developers.txt, "API Key Permissions"): Read views, Write modifies, Admin is "Full
 * API access", so `admin` grants everything; `read` and `write` are granted only by name.
 */
export function grants(held: readonly Permission[], permission: Permission): boolean {
  return held.includes(permission) || held.includes('admin');
}

/**
 * Throws unless the caller holds `permission`. Anonymous (demo) callers may only read: any
 * route that changes something needs a key.
 */
export function requirePermission(c: Context<AppEnv>, permission: Permission): void {
  const caller = c.get('caller');
  if (caller.kind === 'anonymous') {
    if (permission === 'read') return;
    throw new ApiError(401, 'invalid_api_key', `this route needs an API key with the "${permission}" permission`);
  }
  if (!grants(caller.key.permissions, permission)) {
    throw new ApiError(403, 'insufficient_permissions', `this API key lacks the "${permission}" permission`, {
      required_permission: permission,
    });
  }
}

/** Route middleware that checks a permission, tagged with it so the router can be audited. */
export type PermissionMiddleware = MiddlewareHandler<AppEnv> & { readonly requiredPermission: Permission };

/**
 * The same check as route middleware, declared in a route's `createRoute({ middleware })`. The
 * handler carries `requiredPermission`, so a test can walk the router and check every route.
 */
export function permission(p: Permission): PermissionMiddleware {
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    requirePermission(c, p);
    await next();
  };
  return Object.assign(check, { requiredPermission: p });
}
