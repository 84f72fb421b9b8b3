import { DEMO_PERMITS, FIXTURE_ROUTES } from '../../fixtures/routes.ts';
import { authenticate } from '../accounts/keys.ts';
import { serveStdio } from '../mcp/stdio.ts';
import { onShutdown } from '../runtime/signals.ts';
import { startService } from '../server.ts';
import { CliError, EXIT_USAGE, type CliContext } from './context.ts';

/**
 * `permitwatch mcp`: the MCP tools over stdio for a desktop assistant, on the server's own
 * database configuration, in this process (no server needs to run). The key comes from
 * PERMITWATCH_API_KEY only (a key on the command line would show in `ps`); without one the
 * tools serve the demo dataset. stdout carries the protocol alone: logs go to stderr.
 */
export async function mcpCommand(ctx: CliContext, key: string | undefined): Promise<void> {
  // No webhook dispatcher here: the server that runs beside it (if any) delivers what this appends.
  const { app, demoPortal } = await startService({
    config: ctx.config,
    log: ctx.log,
    dispatch: false,
    // Nor the watchlist's re-checks: the server does those (PERMITWATCH_SYNC).
    sync: false,
    demoData: { routes: FIXTURE_ROUTES, permits: DEMO_PERMITS },
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await demoPortal?.close();
    })());
  onShutdown(close);
  try {
    // Refused at start, in words; a key revoked later is refused per message (401 → JSON-RPC error).
    if (key !== undefined) {
      const checked = await authenticate(app.live.db, key.trim());
      if (!checked.ok)
        throw new CliError(`PERMITWATCH_API_KEY is ${checked.reason === 'revoked' ? 'revoked' : 'not a key of this server'}`);
    } else if (!app.demo) {
      throw new CliError(
        'set PERMITWATCH_API_KEY: demo mode is off (PERMITWATCH_DEMO=false), so there is nothing to serve without a key',
        EXIT_USAGE,
      );
    }
    await serveStdio({ fetch: app.api.fetch, key, onError: (err) => ctx.log.error({ err }, 'MCP stdio message failed') });
  } finally {
    await close();
  }
}
