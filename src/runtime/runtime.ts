export type { FetchHandler, Listener, Runtime } from './port.ts';
import type { Runtime } from './port.ts';

/**
 * The runtime this process runs on, its module loaded only there (bun.ts touches `Bun`, deno.ts
 * `Deno`). Bun and Deno both define `process` too, so their own globals decide.
 */
export async function currentRuntime(): Promise<Runtime> {
  if ('Bun' in globalThis) return (await import('./bun.ts')).bun;
  if ('Deno' in globalThis) return (await import('./deno.ts')).deno;
  return (await import('./node.ts')).node;
}
