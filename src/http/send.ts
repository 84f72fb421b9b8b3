import { request, type Dispatcher } from '../runtime/undici.ts';
import type { HttpRequest, HttpResponse } from './messages.ts';

/** What one attempt on the wire came to, before retry and breaker policy look at it. */
export type SendOutcome =
  | { ok: true; response: HttpResponse }
  | { ok: false; reason: 'timeout' | 'network' | 'too_large' | 'cancelled'; message: string; code?: string };

/** Asks for HTML first (most portals), then JSON (open-data APIs), as a browser-like client would. */
const ACCEPT = 'text/html,application/json;q=0.9,*/*;q=0.8';

/**
 * Makes one HTTP request through `agent` (which carries the timeouts and the size cap) and reads
 * the whole body. Never throws: undici's errors become named reasons.
 */
export async function sendOnce(agent: Dispatcher, req: HttpRequest, userAgent: string): Promise<SendOutcome> {
  try {
    const res = await request(req.url, {
      method: req.method ?? 'GET',
      headers: { 'user-agent': userAgent, accept: ACCEPT, ...req.headers },
      body: req.body,
      dispatcher: agent,
      signal: req.signal,
    });
    const body = await res.body.text();
    return { ok: true, response: { status: res.statusCode, headers: flattenHeaders(res.headers), body, url: req.url } };
  } catch (err) {
    const { code = '', message = String(err) } = err as { code?: string; message?: string };
    // The caller's signal aborted: undici closed the socket; the portal is not at fault.
    if (req.signal?.aborted) return { ok: false, reason: 'cancelled', message: 'the caller gave up while the portal was answering' };
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return { ok: false, reason: 'too_large', message };
    // UND_ERR_CONNECT_TIMEOUT, UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT
    if (code.endsWith('_TIMEOUT')) return { ok: false, reason: 'timeout', message };
    // The socket's code (ENOTFOUND, ECONNREFUSED...) names the failure's class (jurisdictions/unavailable-cause.ts).
    return { ok: false, reason: 'network', message, ...(code ? { code } : {}) };
  }
}

/** Joins repeated header values with ", " (RFC 9110 §5.3), so adapters read one string per name. */
function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
