import type { Context } from 'hono';

/**
 * The origin clients reach this server at, for the `servers` of /openapi.json and the
 * `baseUrl` of /postman.json (issue 21, defect 8: "/" made an import unusable): the configured
 * public URL when set (behind a proxy the request's own origin is the proxy's upstream), else
 * the origin the request was sent to.
 */
export function publicOrigin(c: Context, publicUrl: string | undefined): string {
  return publicUrl ?? new URL(c.req.url).origin;
}
