/**
 * Runs `onSignal` once on SIGINT or SIGTERM, then exits 0. Node, Bun and Deno all deliver these
 * through `process` (Deno's Node compatibility layer), so one implementation serves the three.
 */
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
