import type { Politeness } from './politeness.ts';

/** The request a polite fetch takes and the result it gives, shared by the client, its send step and its classifier. */

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  url: string;
  /** Time on the wire for the attempt that answered (queue and back-off waits excluded). */
  durationMs?: number;
}

/**
 * Why a fetch gave no usable answer. All but `too_large` and `cancelled` mean the portal is
 * unavailable to this caller now: the API answers them with 503 `jurisdiction_unavailable` and
 * `retry_after_seconds`. `queue_full`: too many of our calls already wait for the host (nothing
 * was sent). `cancelled`: the caller's signal aborted (nobody waits for the answer any more).
 */
export type HttpFailureReason =
  'timeout' | 'network' | 'server_error' | 'rate_limited' | 'circuit_open' | 'too_large' | 'queue_full' | 'cancelled';

export type HttpResult =
  | { ok: true; response: HttpResponse }
  | {
      ok: false;
      reason: HttpFailureReason;
      message: string;
      url: string;
      /** The portal's last status, for `server_error` (5xx) and `rate_limited` (429). */
      status?: number;
      /** The socket error's code for `network` (ENOTFOUND, ECONNREFUSED...). */
      code?: string;
      /**
       * When to try again: the portal's Retry-After (else one breaker cool-down), never before the
       * circuit lets calls through. Absent for `too_large`.
       */
      retryAfterSeconds?: number;
    };

/** The failing side of HttpResult. */
export type HttpFailure = Extract<HttpResult, { ok: false }>;

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  politeness: Politeness;
  /** Whose call this is (an API key id): a host's queue takes tenants' calls in turn. */
  tenant?: string;
  /** Aborts when the caller gives up: a waiting call leaves the queue, one in flight is cut off. */
  signal?: AbortSignal;
}
