import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

/**
 * Largest request body read. The biggest legitimate one, a full batch (25 items of at most a
 * 200-character number and a 100-character slug), is under 10 KiB; more is abuse or a bug, and
 * refusing it before parsing keeps a 10 MB body from costing the server anything.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Longest caller-sent X-Request-Id kept (hono/request-id replaces a longer one): it is echoed and logged. */
export const MAX_REQUEST_ID_LENGTH = 255;

/**
 * Methods whose body no route reads, so the body limit lets them through untouched: Hono's
 * limiter asks for `Request.body`, which makes the Node adapter build a full web Request.
 */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a URL longer than `maxUrlLength` with 400 `invalid_request`, before any route runs. */
export function urlLimit(maxUrlLength: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.length > maxUrlLength) throw new ApiError(400, 'invalid_request', `URL is longer than ${maxUrlLength} characters`);
    await next();
  };
}

/** hono/body-limit, answering a body over `maxBytes` with 413 `invalid_request`. */
export function requestBodyLimit(maxBytes = MAX_REQUEST_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'invalid_request', `request body is larger than ${maxBytes} bytes`);
    },
  });
  return (c, next) => (BODYLESS_METHODS.has(c.req.method) ? next() : limit(c, next));
}
