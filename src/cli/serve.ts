import { DEMO_PERMITS, FIXTURE_ROUTES } from '../../fixtures/routes.ts';
import { onShutdown } from '../runtime/node.ts';
import { startServer } from '../server.ts';
import type { CliContext } from './context.ts';

/** `permitwatch serve`: the API with its embedded database (and the demo dataset unless turned off). */
export async function serveCommand(ctx: CliContext): Promise<void> {
  // The demo plane's captured pages come from fixtures/ through the CLI; the server imports no fixture data.
  const server = await startServer({ config: ctx.config, log: ctx.log, demoData: { routes: FIXTURE_ROUTES, permits: DEMO_PERMITS } });
  const { config } = ctx;
  ctx.out(`Permitwatch listening on ${server.url}`);
  ctx.out(`  database: ${config.database_url}${server.app.demo ? `   demo database: ${config.demo_database_url}` : ''}`);
  if (server.app.demo) {
    ctx.out(`  try the demo dataset (no key needed):`);
    ctx.out(`    curl -s ${server.url}/api/v1/permits/16041-10000-23545/status`);
  }
  ctx.out(`  create a key: npx permitwatch keys create --name me --plan developer`);
  onShutdown(async (signal) => {
    ctx.log.info({ signal }, 'shutting down');
    await server.close();
  });
}
