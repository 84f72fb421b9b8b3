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

/**
 * Whether a result says the host is failing: everything but an answer and `too_large` (the portal
 * did answer, with too much; another try would get the same). These feed the breaker and get retried.
 */
export function isHostFailure(result: HttpResult): result is HttpFailure {
  return !result.ok && result.reason !== 'too_large';
}
