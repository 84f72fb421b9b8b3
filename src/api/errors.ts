import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

/**
 * The one API error type (STYLE.md §5). Handlers throw it; `renderError` writes the documented
 * body `{ "error": key, "message": ... }` plus any documented extras (candidates, retry_after_seconds).
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly key: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Hono's onError: ApiError as documented; anything else logged with context, answered with a plain 500. */
export function renderError(log: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) {
      return c.json({ error: err.key, message: err.message, ...err.extra }, err.status, err.headers);
    }
    // Hono raises HTTPException for malformed input it detects itself (e.g. a bad JSON body).
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // @hono/zod-openapi answers 415 to a body without a JSON Content-Type (curl -d sends a form type).
      const message =
        status === 415 ? 'request body must be JSON, sent with Content-Type: application/json' : err.message || 'malformed request';
      return c.json({ error: 'invalid_request', message }, status as ContentfulStatusCode);
    }
    log.error({ err, method: c.req.method, path: c.req.path, request_id: c.get('requestId' as never) }, 'unhandled error');
    return c.json({ error: 'internal_error', message: 'internal error' }, 500);
  };
}
