import { CliError, type CliContext } from './context.ts';

/** What the server answered: the body of a 2xx, or the API's documented error body, named. */
export type ServerAnswer<T> =
  | { ok: true; status: number; body: T }
  /** `body` is the whole error body (e.g. a 300's `candidates`), or undefined when it was not the API's. */
  | { ok: false; status: number; error: string; message: string; body?: Record<string, unknown> };

type Method = 'GET' | 'POST' | 'DELETE';

export interface ServerClient {
  base: string;
  /** One request (a JSON body when given); only an unreachable server throws (a CliError saying how to start one). */
  call<T>(method: Method, path: string, body?: unknown): Promise<ServerAnswer<T>>;
  /** One request whose non-2xx answer is a CliError with the server's error key and message. */
  json<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/**
 * The CLI's client of a running server (`--url`, default `http://127.0.0.1:<PORT>`), for the
 * commands whose data lives in the serving process. Sends `--key` as X-API-Key when given.
 */
export function serverClient(ctx: CliContext, options: { url?: string; key?: string }): ServerClient {
  const base = (options.url ?? `http://127.0.0.1:${ctx.config.port}`).replace(/\/+$/, '');
  const headers: Record<string, string> = options.key ? { 'x-api-key': options.key } : {};
  const client: ServerClient = {
    base,
    async call<T>(method: Method, path: string, payload?: unknown): Promise<ServerAnswer<T>> {
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        text = await res.text();
      } catch (err) {
        throw new CliError(
          `cannot reach the server at ${base} (${(err as Error).message}); start it with \`permitwatch serve\` or pass --url`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      // 204 No Content (a DELETE) is a success with nothing to read.
      if (res.ok && (body !== undefined || res.status === 204)) return { ok: true, status: res.status, body: body as T };
      // The API's error body is {"error": key, "message": ...}; anything else is shown as it came.
      const error = body as { error?: unknown; message?: unknown } | undefined;
      return typeof error?.error === 'string'
        ? { ok: false, status: res.status, error: error.error, message: String(error.message ?? ''), body: body as Record<string, unknown> }
        : { ok: false, status: res.status, error: res.ok ? 'not_json' : `http_${res.status}`, message: text.slice(0, 500) };
    },
    async json<T>(method: Method, path: string, payload?: unknown): Promise<T> {
      const answer = await client.call<T>(method, path, payload);
      if (!answer.ok) throw new CliError(`${base} answered ${answer.status} ${answer.error}: ${answer.message}`);
      return answer.body;
    },
  };
  return client;
}

/** A client for data that belongs to an API key (webhooks, watches): there is nothing to show without one. */
export function keyedServerClient(ctx: CliContext, options: { url?: string; key?: string }, what: string): ServerClient {
  if (!options.key) throw new CliError(`${what} belong to an API key: pass --key <key> or set PERMITWATCH_API_KEY`, 2);
  return serverClient(ctx, options);
}
