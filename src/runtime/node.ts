import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { STATUS_CODES, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { connInfoAddress, type FetchHandler, type Listener, type Runtime } from './port.ts';

/** While closing, connections that finished their last response are closed this often. */
const CLOSE_IDLE_EVERY_MS = 50;

/**
 * Node's HTTP parser refuses some requests before any handler runs (a control character in a
 * header, headers over Node's 16 KiB limit, a request line that is not HTTP). By default it
 * answers with an empty body; this answers with the API's documented JSON error instead.
 */
function replyToClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'request headers are too large'
      : status === 408
        ? 'request not received in time'
        : `malformed HTTP request (${err.code ?? 'parse error'})`;
  const body = JSON.stringify({ error: 'invalid_request', message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Node hands a CONNECT request to the server's 'connect' event instead of the request handler,
 * and with no listener it drops the connection without a word (issue 16). This is no proxy:
 * answer 405 in the API's JSON error shape and close.
 */
function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  const body = JSON.stringify({ error: 'method_not_allowed', message: 'CONNECT is not supported: this server is not a proxy' });
  socket.end(
    `HTTP/1.1 405 ${STATUS_CODES[405]}\r\nAllow: GET, HEAD, POST, PATCH, DELETE\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Node's HTTP server for a fetch handler; the only place that knows which runtime serves.
 * Rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL, EACCES...) for the caller to explain.
 */
export function serveFetch(fetch: FetchHandler, options: { port: number; host: string }): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // close() ends the idle keep-alive connections of that moment only; one whose response
            // is still in flight turns idle later and would hold the close for keepAliveTimeout.
            const idle = setInterval(() => (server as HttpServer).closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
            server.close(() => {
              clearInterval(idle);
              done();
            });
          }),
      });
    });
    // A port in use or an address not on this machine: the caller says which, in words.
    server.once('error', reject);
    server.on('clientError', replyToClientError);
    server.on('connect', refuseConnect);
  });
}

/** Node: @hono/node-server over node:http. */
export const node: Runtime = { name: 'node', serveFetch, clientAddress: connInfoAddress(getConnInfo) };
