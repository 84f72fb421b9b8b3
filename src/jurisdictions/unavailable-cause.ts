import type { HttpFailure } from '../http/messages.ts';

/**
 * Why a portal gave no usable answer, as the `cause` of a 503 `jurisdiction_unavailable` and in
 * its message (issue 21): a class a client or an operator can act on without reading logs.
 * `dns_failure`, `connection_refused`, `connection_failed` (any other transport failure),
 * `timeout`, `http_5xx`, `http_429`: what the portal did; `bad_response`: it answered with
 * something we cannot read; `breaker_open`: it failed repeatedly and is given a rest;
 * `queue_full`: too many of our calls already wait for it; `cancelled`: the caller or the batch
 * deadline gave up; `concurrent_update`: another writer changed the permit at the same moment;
 * `no_adapter`: the catalog names a platform this build cannot read.
 */
export const UNAVAILABLE_CAUSES = [
  'dns_failure',
  'connection_refused',
  'connection_failed',
  'timeout',
  'http_5xx',
  'http_429',
  'bad_response',
  'breaker_open',
  'queue_full',
  'cancelled',
  'concurrent_update',
  'no_adapter',
] as const;
export type UnavailableCause = (typeof UNAVAILABLE_CAUSES)[number];

/** Node's resolver errors (getaddrinfo): the name does not resolve, or the resolver failed. */
const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** The cause class of a failed fetch. */
export function causeOfHttpFailure(failure: HttpFailure): UnavailableCause {
  switch (failure.reason) {
    case 'timeout':
      return 'timeout';
    case 'server_error':
      return 'http_5xx';
    case 'rate_limited':
      return 'http_429';
    case 'circuit_open':
      return 'breaker_open';
    case 'queue_full':
      return 'queue_full';
    case 'too_large':
      return 'bad_response';
    case 'cancelled':
      return 'cancelled';
    case 'network':
      if (failure.code && DNS_CODES.has(failure.code)) return 'dns_failure';
      return failure.code === 'ECONNREFUSED' ? 'connection_refused' : 'connection_failed';
  }
}
