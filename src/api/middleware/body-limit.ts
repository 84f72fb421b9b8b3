import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

/**
 * Largest request body read. The biggest legitimate one, a full batch (25 items of at most a
 * 200-character number and a 100-character slug), is under 10 KiB; more is abuse or a bug, and
 * refusing it before parsing keeps a 10 MB body from costing the server anything.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Refuses a body over `maxBytes` with the documented JSON error (413 `invalid_request`). */
export function limitRequestBody(maxBytes: number = MAX_REQUEST_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'invalid_request', `request body is larger than ${maxBytes} bytes`);
    },
  });
}
