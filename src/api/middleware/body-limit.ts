import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

/**
 * Largest request body read. The biggest legitimate one, a full batch (25 items of at most a
 * 200-character number and a 100-character slug), is under 10 KiB; more is abuse or a bug, and
 * refusing it before parsing keeps a 10 MB body from costing the server anything.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Methods whose body no route reads: their requests skip the body limit (see below). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The request's size limits, before any route runs: a URL over `maxUrlLength` characters is 400
 * `invalid_request`; a body over `maxBytes` is 413 `invalid_request`. GET, HEAD and OPTIONS skip
 * the body limit: no route reads their body, and Hono's limiter touches `Request.body`, which
 * makes the Node adapter build a full web Request with a stream for every call; measured, that
 * alone halved a bare route's throughput (bench/lookup.ts).
 */
export function limitRequestSize(options: { maxUrlLength: number; maxBytes?: number }): MiddlewareHandler {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'invalid_request', `request body is larger than ${maxBytes} bytes`);
    },
  });
  return (c, next) => {
    if (c.req.url.length > options.maxUrlLength) {
      throw new ApiError(400, 'invalid_request', `URL is longer than ${options.maxUrlLength} characters`);
    }
    return BODYLESS_METHODS.has(c.req.method) ? next() : limit(c, next);
  };
}
