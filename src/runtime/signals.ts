/**
 * How long a graceful shutdown may take before the process exits anyway: above the 10 s a
 * webhook attempt may last (DELIVERY_TIMEOUT_MS), so attempts in flight end and are recorded,
 * and under the 30 s an orchestrator waits after SIGTERM before SIGKILL (Kubernetes'
 * terminationGracePeriodSeconds, `docker stop`'s 10 s is shorter: give it `-t 30`).
 */
export const SHUTDOWN_GRACE_MS = 25_000;

/**
 * Runs `onSignal` once on SIGINT or SIGTERM, then exits 0 (1 if it threw). Node, Bun and Deno all deliver these
 * through `process` (Deno's Node compatibility layer), so one implementation serves the three.
 * If `onSignal` has not finished within `graceMs`, or a second signal comes, the process exits
 * at once: work still leased (a webhook attempt, a sync check) is retried by whichever process
 * next claims it once the lease lapses, so nothing is lost, only delayed.
 */
export function onShutdown(onSignal: (signal: string) => Promise<void>, graceMs = SHUTDOWN_GRACE_MS): void {
  let called = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (called) {
        process.stderr.write(`permitwatch: ${signal} again: exiting now; work still leased is retried once its lease lapses\n`);
        process.exit(1);
      }
      called = true;
      const timer = setTimeout(() => {
        process.stderr.write(
          `permitwatch: shutdown took over ${graceMs} ms: exiting; work still leased is retried once its lease lapses\n`,
        );
        process.exit(0);
      }, graceMs);
      void onSignal(signal).then(
        () => {
          clearTimeout(timer);
          process.exit(0);
        },
        (err: unknown) => {
          process.stderr.write(`permitwatch: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
