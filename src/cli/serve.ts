import { DEMO_PERMITS, FIXTURE_ROUTES } from '../../fixtures/routes.ts';
import { onShutdown } from '../runtime/signals.ts';
import { startServer } from '../server.ts';
import type { Config } from '../config.ts';
import { CliError, type CliContext } from './context.ts';

/** `permitwatch serve`: the API with its embedded database (and the demo dataset unless turned off). */
export async function serveCommand(ctx: CliContext): Promise<void> {
  // The demo plane's captured pages come from fixtures/ through the CLI; the server imports no fixture data.
  const starting = startServer({ config: ctx.config, log: ctx.log, demoData: { routes: FIXTURE_ROUTES, permits: DEMO_PERMITS } });
  // Before the server says it is listening: a SIGTERM that follows the announcement at once must
  // find the handler, or the process dies with its leases held. One during start-up waits for it.
  onShutdown(async (signal) => {
    ctx.log.info({ signal }, 'shutting down');
    const started = performance.now();
    const server = await starting.catch(() => undefined);
    await server?.close();
    ctx.log.info({ ms: Math.round(performance.now() - started) }, 'shut down');
  });
  const server = await starting.catch((err: unknown) => {
    throw listenError(err, ctx.config) ?? err;
  });
  const { config } = ctx;
  ctx.out(`Permitwatch listening on ${server.url}`);
  ctx.out(`  database: ${config.database_url}${server.app.demo ? `   demo database: ${config.demo_database_url}` : ''}`);
  if (server.app.demo) {
    ctx.out(`  try the demo dataset (no key needed):`);
    ctx.out(`    curl -s ${server.url}/api/v1/permits/16041-10000-23545/status`);
  }
  ctx.out(`  create a key: npx permitwatch keys create --name me --plan developer`);
}

/** A listen failure in words that say what to change; undefined for any other error. */
export function listenError(err: unknown, config: Pick<Config, 'port' | 'host'>): CliError | undefined {
  const code = (err as { code?: string } | null)?.code;
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(
        `port ${config.port} is already in use on ${config.host}: stop the other server or choose another port with PORT=`,
      );
    case 'EACCES':
      return new CliError(`not allowed to listen on ${where}: ports below 1024 need privileges; choose another with PORT=`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(
        `cannot listen on ${where}: "${config.host}" is not an address of this machine (PERMITWATCH_HOST=127.0.0.1, 0.0.0.0 or ::)`,
      );
    default:
      return undefined;
  }
}
