import { Agent, request } from '../runtime/undici.ts';
import { parseRetryAfter } from '../http/retry.ts';
import { classifyDeliveryError, type DeliveryError } from './delivery-error.ts';
import { guardedConnector, type ResolveHost } from './target-guard.ts';
import type { Clock } from '../lib/clock.ts';

/** A receiver must answer within this (PermitStack: "respond with 2xx within 10 seconds"). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** TCP + TLS set-up budget inside the delivery timeout. */
export const DELIVERY_CONNECT_TIMEOUT_MS = 5_000;
/** Bytes of a receiver's response read at most; the rest is dropped unread. */
export const RESPONSE_READ_MAX_BYTES = 4_096;
/** Characters of the response kept in the attempt log and shown as `body_preview`. */
export const RESPONSE_PREVIEW_CHARS = 512;
/** Keep-alive sockets per receiver origin: enough for a burst, bounded for a slow receiver. */
export const CONNECTIONS_PER_ORIGIN = 32;

export interface PostOutcome {
  /** The receiver's HTTP status, null when none came back (refused, timeout, blocked). */
  status_code: number | null;
  ok: boolean;
  /** `HTTP <code>` for a non-2xx answer, a DeliveryError word when none came back. */
  error: `HTTP ${number}` | DeliveryError | null;
  duration_ms: number;
  response_preview: string | null;
  retry_after_ms?: number;
}

/** The HTTP agent deliveries go through: timeouts, keep-alive, and the target guard. */
export function createDeliveryAgent(options: { allowPrivate: boolean; resolve?: ResolveHost }): Agent {
  return new Agent({
    connect: guardedConnector({ connectTimeoutMs: DELIVERY_CONNECT_TIMEOUT_MS, allowPrivate: options.allowPrivate, resolve: options.resolve }),
    headersTimeout: DELIVERY_TIMEOUT_MS,
    bodyTimeout: DELIVERY_TIMEOUT_MS,
    connections: CONNECTIONS_PER_ORIGIN,
  });
}

/**
 * POSTs one raw body. Never throws; never follows a redirect (a 3xx is a failed delivery: the
 * signed body must reach the URL the user registered). Only a 2xx is a success. The whole
 * attempt (connect, send, read) ends by `timeoutMs`: the dispatcher passes one shorter than its
 * lease, so no attempt outlives the claim it runs under.
 */
export async function postDelivery(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
  clock: Clock,
  timeoutMs: number = DELIVERY_TIMEOUT_MS,
): Promise<PostOutcome> {
  const started = clock.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(url, { method: 'POST', body, headers, dispatcher: agent, signal });
    const preview = await readCapped(res.body, signal);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const retryAfter = res.headers['retry-after'];
    return {
      status_code: res.statusCode,
      ok,
      error: ok ? null : `HTTP ${res.statusCode}`,
      duration_ms: clock.now() - started,
      response_preview: preview,
      retry_after_ms: ok ? undefined : parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, clock.now()),
    };
  } catch (err) {
    // A word, never the raw error: it would name internal addresses and ports (delivery-error.ts).
    // Our own deadline may surface as undici's abort error: report the signal's TimeoutError.
    const error = classifyDeliveryError(signal.aborted ? signal.reason : err);
    return { status_code: null, ok: false, error, duration_ms: clock.now() - started, response_preview: null };
  }
}

/**
 * Reads at most RESPONSE_READ_MAX_BYTES, then drops the stream, so a huge reply costs nothing;
 * a body still trickling in when the attempt's time is up is dropped too.
 */
async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(err?: Error): void }, signal: AbortSignal): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stop = () => body.destroy(signal.reason as Error);
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= RESPONSE_READ_MAX_BYTES) {
        body.destroy();
        break;
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_READ_MAX_BYTES).toString('utf8').slice(0, RESPONSE_PREVIEW_CHARS);
}
