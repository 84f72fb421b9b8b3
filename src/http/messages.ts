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
 * Why a fetch gave no usable answer. All but `too_large` mean the portal is unavailable: the API
 * answers them with 503 `jurisdiction_unavailable` and `retry_after_seconds`.
 */
export type HttpFailureReason = 'timeout' | 'network' | 'server_error' | 'rate_limited' | 'circuit_open' | 'too_large';

export type HttpResult =
  | { ok: true; response: HttpResponse }
  | {
      ok: false;
      reason: HttpFailureReason;
      message: string;
      url: string;
      /** The portal's last status, for `server_error` (5xx) and `rate_limited` (429). */
      status?: number;
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
}

