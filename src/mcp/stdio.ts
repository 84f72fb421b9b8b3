import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PATH } from './http.ts';

/**
 * JSON-RPC's implementation-defined server error: the app refused the message as HTTP (a key
 * revoked since start-up → 401 invalid_api_key, a message over the body limit → 413); the
 * error's `data` is the API's error body.
 */
export const REFUSED_BY_APP = -32001;
/** Unexpected failure of the in-process exchange itself (JSON-RPC "Internal error"). */
const INTERNAL_ERROR = -32603;
/** The in-process requests' URL: no socket is opened, only the path matters to the app. */
const IN_PROCESS_URL = `http://stdio.invalid${MCP_PATH}`;

export interface StdioOptions {
  /** The app's own fetch handler (Hono's `app.fetch`), called in-process. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** Sent as `Authorization: Bearer`; absent → the demo dataset, as an anonymous HTTP client. */
  key?: string;
  stdin?: Readable;
  stdout?: Writable;
  onError: (err: unknown) => void;
}

/**
 * MCP over stdio (newline-delimited JSON-RPC, the SDK's `StdioServerTransport`) for
 * `permitwatch mcp`. Each message is handed to the app's `/mcp` handler in-process, as a POST
 * carrying the key, so stdio and HTTP are one code path: the same auth middleware, plans,
 * limits, usage rows and tools, and a lookup costs one credit either way. No network is used.
 * A request's `notifications/cancelled` aborts its in-process request (the lookup heeds it).
 * Resolves when stdin ends and every message taken has been answered.
 */
export async function serveStdio(options: StdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
  };
  const inFlight = new Map<RequestId, AbortController>();
  const pending = new Set<Promise<void>>();

  async function answer(message: JSONRPCMessage): Promise<void> {
    if (!isJSONRPCRequest(message)) {
      // The stateless server keeps nothing a notification could change (the /mcp handler only
      // acknowledges them), except the request a cancellation names; answers answer nothing we asked.
      if ('method' in message && message.method === 'notifications/cancelled') {
        const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
        if (id !== undefined) inFlight.get(id)?.abort();
      }
      return;
    }
    const { id } = message;
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const res = await options.fetch(
        new Request(IN_PROCESS_URL, { method: 'POST', headers, body: JSON.stringify(message), signal: controller.signal }),
      );
      const body = (await res.json()) as JSONRPCMessage | JSONRPCMessage[] | { error: string; message: string };
      if (Array.isArray(body) || 'jsonrpc' in body) {
        for (const reply of [body].flat()) await transport.send(reply as JSONRPCMessage);
        return;
      }
      const refusal = body as { error: string; message: string };
      await transport.send({
        jsonrpc: '2.0',
        id,
        error: { code: REFUSED_BY_APP, message: `${refusal.error}: ${refusal.message}`, data: body },
      });
    } catch (err) {
      // A cancelled request gets no answer (MCP: the receiver SHOULD NOT respond after a cancel).
      if (controller.signal.aborted) return;
      options.onError(err);
      await transport.send({ jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message: 'internal error' } });
    } finally {
      inFlight.delete(id);
    }
  }

  const ended = new Promise<void>((resolve) => stdin.once('end', resolve).once('close', resolve));
  transport.onmessage = (message) => {
    const done = answer(message).catch(options.onError);
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  transport.onerror = options.onError;
  await transport.start();
  await ended;
  await Promise.all(pending);
  await transport.close();
}
