import type { UnavailableCause } from './unavailable-cause.ts';

/**
 * Why a portal could not answer: `unavailable` (refused, 5xx, 429, connection failed), `timeout`
 * (no answer in time), `bad_response` (an answer we cannot use: unexpected status, oversized or
 * unparseable body, a different permit than asked for).
 */
export type AdapterErrorReason = 'unavailable' | 'timeout' | 'bad_response';

/** The cause class an adapter error of each reason has when nothing more precise is known. */
const DEFAULT_CAUSE: Record<AdapterErrorReason, UnavailableCause> = {
  // Thrown directly only for a server-side error the portal reported in its body (ArcGIS).
  unavailable: 'http_5xx',
  timeout: 'timeout',
  bad_response: 'bad_response',
};

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
  /** What the API reports as the 503's `cause`. */
  readonly causeClass: UnavailableCause;

  constructor(init: {
    reason: AdapterErrorReason;
    url: string;
    message: string;
    retryAfterSeconds?: number;
    cause?: unknown;
    causeClass?: UnavailableCause;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.causeClass = init.causeClass ?? DEFAULT_CAUSE[init.reason];
    this.url = init.url;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
