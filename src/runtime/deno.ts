import { getConnInfo } from 'hono/deno';
import { connInfoAddress, type FetchHandler, type Listener, type Runtime } from './port.ts';

/** The part of Deno.serve used here (Deno's own types are not part of this Node-typed build). */
interface DenoServe {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (req: Request, info: unknown) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}

/**
 * Deno's own HTTP server. Deno.serve binds synchronously and throws the listen error; Deno's
 * errors carry Node's `code` (EADDRINUSE, EADDRNOTAVAIL) except a host name that does not
 * resolve, which is given ENOTFOUND here so the caller names PERMITWATCH_HOST as on Node. The
 * per-request info (remoteAddr) goes to Hono as `env`, where hono/deno's getConnInfo reads it.
 */
function serveFetch(fetch: FetchHandler, options: { port: number; host: string }): Promise<Listener> {
  const { Deno } = globalThis as unknown as { Deno: DenoServe };
  try {
    const server = Deno.serve({ port: options.port, hostname: options.host, onListen: () => {} }, (req, info) => fetch(req, info));
    // shutdown() stops accepting and resolves once requests in flight are answered.
    return Promise.resolve({ port: server.addr.port, close: () => server.shutdown() });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === undefined && /lookup address/.test(e.message ?? '')) e.code = 'ENOTFOUND';
    return Promise.reject(err);
  }
}

/** Deno: Deno.serve. */
export const deno: Runtime = { name: 'deno', serveFetch, clientAddress: connInfoAddress(getConnInfo) };
