/**
 * Why a portal could not answer: `unavailable` (refused, 5xx, 429, connection failed), `timeout`
 * (no answer in time), `bad_response` (an answer we cannot use: unexpected status, oversized or
 * unparseable body, a different permit than asked for).
 */
export type AdapterErrorReason = 'unavailable' | 'timeout' | 'bad_response';

/**
 * Thrown by an adapter's `lookup` when the portal, not the permit, is the problem. A permit the
 * portal does not know is a value (`{ found: false }`), never this. The lookup layer answers it
 * with HTTP 503 `jurisdiction_unavailable`, passing `retryAfterSeconds` on as Retry-After.
 */
export class AdapterError extends Error {
  override readonly name = 'AdapterError';
  readonly reason: AdapterErrorReason;
  readonly url: string;
  readonly retryAfterSeconds?: number;

  constructor(init: { reason: AdapterErrorReason; url: string; message: string; retryAfterSeconds?: number; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.url = init.url;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
