import type { Context, Next } from 'hono';
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

/** What the request envelope checks before any route runs. */
export interface RequestLimits {
  /** A URL over the limit, as a value: 400 `invalid_request`. */
  refuse(c: Context): ApiError | undefined;
  /** Runs the rest of the request, its body limited: 413 `invalid_request` past `maxBytes`. */
  run(c: Context, next: Next): Promise<unknown>;
}

/**
 * The request's size limits. GET, HEAD and OPTIONS skip the body limit: no route reads their
 * body, and Hono's limiter touches `Request.body`, which makes the Node adapter build a full web
 * Request with a stream for every call; measured, that alone halved a bare route's throughput
 * (bench/lookup.ts).
 */
export function requestLimits(options: { maxUrlLength: number; maxBytes?: number }): RequestLimits {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'invalid_request', `request body is larger than ${maxBytes} bytes`);
    },
  });
  return {
    refuse: (c) =>
      c.req.url.length > options.maxUrlLength
        ? new ApiError(400, 'invalid_request', `URL is longer than ${options.maxUrlLength} characters`)
        : undefined,
    run: (c, next) => (BODYLESS_METHODS.has(c.req.method) ? next() : limit(c, next)),
  };
}
