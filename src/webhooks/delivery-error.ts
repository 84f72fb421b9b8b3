import { TargetBlockedError } from './target-guard.ts';

/**
 * What a failed delivery attempt is reported as, in `/test`, `/simulate` and the delivery log.
 * Only these words and `HTTP <code>` leave the server: raw socket errors (`ECONNREFUSED
 * 127.0.0.1:8080`, certificate names) would let a caller scan ports and hosts through the
 * dispatcher (issue 16).
 */
export type DeliveryError = 'target_blocked' | 'connection_failed' | 'timeout' | 'tls_error';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** OpenSSL's certificate verdicts (tls.TLSSocket.authorizationError) and Node's TLS error codes. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH$)/;

/** Classifies a transport failure, looking through `cause` chains (undici and fetch wrap errors). */
export function classifyDeliveryError(err: unknown): DeliveryError {
  for (let e = err as { name?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof TargetBlockedError || e.code === 'PERMITWATCH_TARGET_BLOCKED') return 'target_blocked';
    if (e.name === 'TimeoutError' || (e.code && TIMEOUT_CODES.has(e.code))) return 'timeout';
    if (e.code && TLS_CODE.test(e.code)) return 'tls_error';
  }
  return 'connection_failed';
}
