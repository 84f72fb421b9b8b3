import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import type { RequestHeaderReader } from '../request-header.ts';
import { applyResponseHeaders, startResponseHeaders } from '../response-headers.ts';
import type { RequestLimits } from './request-limits.ts';
import type { RequestObserver } from './observe.ts';

/** Longest caller-sent X-Request-Id kept; a longer one is replaced (as hono/request-id does). */
export const MAX_REQUEST_ID_LENGTH = 255;

/** Characters a caller's X-Request-Id may use: it is echoed in a header and written to logs. */
const REQUEST_ID_SHAPE = /^[\w\-=]+$/;

/** The caller's X-Request-Id when it is safe to echo, else a fresh UUID. */
export function chooseRequestId(sent: string | undefined, generate: () => string = () => crypto.randomUUID()): string {
  return sent && sent.length <= MAX_REQUEST_ID_LENGTH && REQUEST_ID_SHAPE.test(sent) ? sent : generate();
}

/**
 * First and last thing every request meets: picks its request id (echoed as X-Request-Id and
 * passed to the lookup log), starts the plain record of response headers, holds the request to
 * its size limits, and once the response exists puts that record on it (response-headers.ts)
 * and counts the request. A refusal here is answered through `renderError`, as Hono would
 * answer it one level up, so it is counted like any other answer. One middleware rather than
 * four: on a cached lookup each level of Hono's dispatch is measurable (bench/lookup.ts).
 */
export function requestEnvelope(deps: {
  requestHeader: RequestHeaderReader;
  observe: RequestObserver;
  limits: RequestLimits;
  renderError: (err: Error, c: Context) => Response;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    const id = chooseRequestId(deps.requestHeader(c, 'x-request-id'));
    c.set('requestId', id);
    startResponseHeaders(c, { 'X-Request-Id': id });
    try {
      const refused = deps.limits.refuse(c);
      if (refused) c.res = deps.renderError(refused, c);
      else await deps.limits.run(c, next);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      c.res = deps.renderError(err, c);
    } finally {
      applyResponseHeaders(c);
      deps.observe(c, startedAt);
    }
  };
}
