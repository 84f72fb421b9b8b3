import type { HttpFailure, HttpResponse, HttpResult } from '../http/messages.ts';
import { AdapterError } from './adapter-error.ts';
import { causeOfHttpFailure } from './unavailable-cause.ts';

/** Every page and response the adapters read came with 200 in the captures (fixtures/*). */
const HTTP_OK = 200;

/**
 * A failed fetch as the adapter error the lookup answers with 503. The HTTP client has already
 * retried 5xx, 429, timeouts and network errors and waited out Retry-After, so what reaches here
 * is final: an oversized body is an answer we cannot use (`bad_response`), a timeout is
 * `timeout`, everything else is the portal being `unavailable`.
 */
export function portalFailure(result: HttpFailure): AdapterError {
  const reason = result.reason === 'timeout' ? 'timeout' : result.reason === 'too_large' ? 'bad_response' : 'unavailable';
  return new AdapterError({
    reason,
    url: result.url,
    message: result.message,
    retryAfterSeconds: result.retryAfterSeconds,
    causeClass: causeOfHttpFailure(result),
  });
}

/**
 * The response of a fetch that must answer 200, or the AdapterError to throw. Any other status (a
 * 404, a redirect to a login or maintenance page, SODA's 400 for a query it cannot run) is an
 * answer we cannot read, never evidence that a permit does not exist. `portal` names the portal in
 * the message ("PCIS answered HTTP 404").
 */
export function okResponse(result: HttpResult, url: string, portal: string): HttpResponse {
  if (!result.ok) throw portalFailure(result);
  if (result.response.status === HTTP_OK) return result.response;
  throw new AdapterError({ reason: 'bad_response', url, message: `${portal} answered HTTP ${result.response.status}` });
}
