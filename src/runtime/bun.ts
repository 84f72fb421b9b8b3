/// <reference types="bun-types" />
import { getConnInfo } from 'hono/bun';
import { connInfoAddress, type FetchHandler, type Listener, type Runtime } from './port.ts';

/**
 * Bun's own HTTP server. Bun.serve binds synchronously and throws the listen error with Node's
 * `code` (EADDRINUSE, EADDRNOTAVAIL), which the caller explains. The server object goes to Hono
 * as `env`, where hono/bun's getConnInfo asks it for the peer's address.
 */
function serveFetch(fetch: FetchHandler, options: { port: number; host: string }): Promise<Listener> {
  try {
    const server = Bun.serve({ port: options.port, hostname: options.host, fetch: (req, srv) => fetch(req, srv) });
    // stop() without `true` lets requests in flight finish.
    return Promise.resolve({ port: server.port ?? options.port, close: () => server.stop() });
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Bun: Bun.serve. */
export const bun: Runtime = { name: 'bun', serveFetch, clientAddress: connInfoAddress(getConnInfo) };
