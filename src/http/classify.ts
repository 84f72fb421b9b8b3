import type { HttpFailure, HttpResult } from './messages.ts';
import { isRetryableStatus, parseRetryAfter } from './retry.ts';
import type { SendOutcome } from './send.ts';

/**
 * Turns one attempt into a fetch result. A 5xx or 429 answer is a failure (`server_error`,
 * `rate_limited`) carrying the portal's Retry-After, if readable, as `retryAfterSeconds`; every
 * other answer, 4xx included, is the portal's response.
 */
export function classifyAttempt(sent: SendOutcome, at: { url: string; nowMs: number; durationMs: number }): HttpResult {
  if (!sent.ok) return { ...sent, url: at.url };
  const { status, headers } = sent.response;
  if (!isRetryableStatus(status)) return { ok: true, response: { ...sent.response, durationMs: at.durationMs } };
  const failure: HttpFailure = {
    ok: false,
    reason: status === 429 ? 'rate_limited' : 'server_error',
    status,
    url: at.url,
    message: `portal answered HTTP ${status}`,
  };
  const retryAfterMs = parseRetryAfter(headers['retry-after'], at.nowMs);
  return retryAfterMs === undefined ? failure : { ...failure, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
}

/** Failures that say nothing about the host: it answered with too much (another try would get the same), or it was never asked. */
const NOT_THE_HOST: ReadonlySet<HttpFailure['reason']> = new Set(['too_large', 'queue_full', 'cancelled']);

/**
 * Whether a result says the host is failing: everything but an answer, `too_large`, and what
 * happened on our side (`queue_full`, `cancelled`). These feed the breaker and get retried.
 */
export function isHostFailure(result: HttpResult): result is HttpFailure {
  return !result.ok && !NOT_THE_HOST.has(result.reason);
}
