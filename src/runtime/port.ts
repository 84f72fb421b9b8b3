import type { Context } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';

// What each runtime module (node.ts, bun.ts, deno.ts) implements: types and one shared helper,
// apart from runtime.ts, so the runtime modules and the picker that loads them do not import
// each other.

/** A fetch handler as Hono's `app.fetch` takes it: the runtime's per-request value goes in as `env`. */
export type FetchHandler = (req: Request, env?: unknown) => Response | Promise<Response>;

export interface Listener {
  port: number;
  /** Stops accepting, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

/**
 * What differs between Node, Bun and Deno, and nothing else (DESIGN.md §2: `runtime/` holds the
 * only runtime-specific code). One module per runtime implements it; `currentRuntime()` picks one.
 */
export interface Runtime {
  name: 'node' | 'bun' | 'deno';
  /**
   * Serves `fetch` on the runtime's own HTTP server. Rejects with the listen error, carrying
   * Node's `code` (EADDRINUSE, EADDRNOTAVAIL, EACCES...) for the caller to explain in words.
   */
  serveFetch(fetch: FetchHandler, options: { port: number; host: string }): Promise<Listener>;
  /** The TCP peer's address of a request this runtime's server handed in ('unknown' when it cannot say). */
  clientAddress(c: Context): string;
}

/**
 * A runtime's `clientAddress` from its Hono adapter's `getConnInfo`: 'unknown' when the adapter
 * cannot say (a request its server did not hand in, as in-process tests make).
 */
export function connInfoAddress(getConnInfo: GetConnInfo): (c: Context) => string {
  return (c) => {
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
}
