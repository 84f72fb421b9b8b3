import type { Context } from 'hono';

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
 * The runtime this process runs on, its module loaded only there (bun.ts touches `Bun`, deno.ts
 * `Deno`). Bun and Deno both define `process` too, so their own globals decide.
 */
export async function currentRuntime(): Promise<Runtime> {
  if ('Bun' in globalThis) return (await import('./bun.ts')).bun;
  if ('Deno' in globalThis) return (await import('./deno.ts')).deno;
  return (await import('./node.ts')).node;
}
