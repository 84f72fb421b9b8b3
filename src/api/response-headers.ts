import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { AppEnv } from './context.ts';

/**
 * Response headers decided before the body exists (request id, rate limits, demo and sandbox
 * flags), kept as a plain record instead of going through `c.header()`. Hono's `c.header()`
 * builds a web `Headers` object, and the Node adapter converts it back into a record for
 * `writeHead`; together that measured as a sixth of a small JSON answer's throughput
 * (bench/lookup.ts). JSON answers carry the record straight into their `Response`
 * (`respondJson`); any other response gets it from `applyResponseHeaders` at the end.
 */
export type ResponseHeaders = Record<string, string>;

/**
 * Marks a response that already carries its request's record, so it is not applied twice. A
 * property, not a WeakSet: a WeakSet holding every response made the garbage collector's work
 * grow with the request rate.
 */
const CARRIES_RECORD = Symbol('carriesResponseHeaders');
type Marked = Response & { [CARRIES_RECORD]?: true };

function recordOf(c: Context): ResponseHeaders | undefined {
  return (c as Context<AppEnv>).get('responseHeaders');
}

/** Starts a request's record (the request envelope does this first thing). */
export function startResponseHeaders(c: Context<AppEnv>, initial: ResponseHeaders): void {
  c.set('responseHeaders', initial);
}

/** Sets one header on whatever response the request ends with, error answers included. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const record = recordOf(c);
  if (record) record[name] = value;
  else c.header(name, value);
}

/**
 * A JSON answer with the request's headers (and `extra`, which wins), typed like `c.json` so
 * OpenAPI routes keep their checked response types.
 */
export function respondJson<T, S extends ContentfulStatusCode>(
  c: Context,
  body: T,
  status: S,
  extra?: ResponseHeaders,
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  return respondJsonText<T, S>(c, JSON.stringify(body), status, extra);
}

/** `respondJson` for a body already serialized: `text` must be the JSON of a `T`. */
export function respondJsonText<T, S extends ContentfulStatusCode>(
  c: Context,
  text: string,
  status: S,
  extra?: ResponseHeaders,
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  const res = new Response(text, {
    status,
    headers: { 'content-type': 'application/json', ...recordOf(c), ...extra },
  });
  (res as Marked)[CARRIES_RECORD] = true;
  return res as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}

/** Copies the record onto the final response unless it was built with it. */
export function applyResponseHeaders(c: Context): void {
  const record = recordOf(c);
  const res = c.res;
  if (!record || (res as Marked)[CARRIES_RECORD]) return;
  for (const name in record) res.headers.set(name, record[name]!);
}
