import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AddressInfo } from 'node:net';

/** Node's HTTP server for a fetch handler; the only place that knows which runtime serves. */
export function serveFetch(
  fetch: (req: Request) => Response | Promise<Response>,
  options: { port: number; host: string },
): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Runs `onSignal` once on SIGINT or SIGTERM. */
export function onShutdown(onSignal: (signal: string) => Promise<void>): void {
  let called = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (called) return;
      called = true;
      void onSignal(signal).finally(() => process.exit(0));
    });
  }
}

/** The TCP peer's address of a request served by Node ('unknown' when the runtime cannot say). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
