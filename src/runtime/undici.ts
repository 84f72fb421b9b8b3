/**
 * The undici package, loaded by its file path on every runtime. Bun answers the bare `undici`
 * specifier with a built-in stand-in whose `Agent` ignores its `connect` option and has no
 * `close()`: there the webhook target guard (webhooks/target-guard.ts) was skipped and a delivery
 * to 127.0.0.1 went out without PERMITWATCH_WEBHOOK_ALLOW_PRIVATE (issue 19), and closing the
 * app threw `deliveryAgent.close is not a function`. The package has no `exports` map, so Node and
 * Deno resolve this path to the same file as the bare name. Code outside `runtime/` imports undici
 * values from here (a test holds that); type-only imports of `undici` are fine.
 */
export { Agent, buildConnector, request } from 'undici/index.js';
export type { Dispatcher } from 'undici/index.js';
