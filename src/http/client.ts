import { Agent, request } from 'undici';
import PQueue from 'p-queue';
import type { Politeness } from '../jurisdictions/jurisdiction.ts';
import type { z } from 'zod';

/** A portal that has not sent headers in this long is treated as down. */
export const HEADERS_TIMEOUT_MS = 20_000;
/** Gap allowed between body chunks; PCIS pages arrive in one burst, slow trickles are stuck connections. */
export const BODY_TIMEOUT_MS = 20_000;
export const CONNECT_TIMEOUT_MS = 10_000;
/** The largest captured detail page is ~450 KB (Accela CapDetail); 5 MB leaves room and stops runaways. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const USER_AGENT =
  'Permitwatch/0.1 (+https://github.com/permitwatch/permitwatch; self-hosted permit status service)';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  url: string;
}

export type HttpResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; reason: 'timeout' | 'network' | 'too_large'; message: string; url: string };

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  politeness: z.infer<typeof Politeness>;
}

export interface HttpClient {
  fetch(req: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

/**
 * Polite fetching for adapters: one queue per host, so a city's portal never sees more than its
 * catalog rate and concurrency however many lookups are waiting.
 */
export function createHttpClient(options: { maxResponseBytes?: number } = {}): HttpClient {
  const agent = new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_TIMEOUT_MS,
    maxResponseSize: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
  });
  const queues = new Map<string, PQueue>();

  function queueFor(host: string, politeness: HttpRequest['politeness']): PQueue {
    let queue = queues.get(host);
    if (!queue) {
      queue = new PQueue({
        concurrency: politeness.concurrency,
        intervalCap: Math.max(1, Math.round(politeness.requests_per_second)),
        interval: politeness.requests_per_second >= 1 ? 1000 : Math.round(1000 / politeness.requests_per_second),
      });
      queues.set(host, queue);
    }
    return queue;
  }

  async function send(req: HttpRequest): Promise<HttpResult> {
    try {
      const res = await request(req.url, {
        method: req.method ?? 'GET',
        headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/json;q=0.9,*/*;q=0.8', ...req.headers },
        body: req.body,
        dispatcher: agent,
      });
      const body = await res.body.text();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { ok: true, response: { status: res.statusCode, headers, body, url: req.url } };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const code = e.code ?? '';
      if (code.includes('TIMEOUT')) return { ok: false, reason: 'timeout', message: e.message ?? code, url: req.url };
      if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        return { ok: false, reason: 'too_large', message: e.message ?? code, url: req.url };
      }
      return { ok: false, reason: 'network', message: e.message ?? String(err), url: req.url };
    }
  }

  return {
    fetch(req) {
      const host = new URL(req.url).host;
      return queueFor(host, req.politeness).add(() => send(req)) as Promise<HttpResult>;
    },
    async close() {
      await agent.close();
    },
  };
}
