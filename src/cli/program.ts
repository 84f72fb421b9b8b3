import { Command } from 'commander';
import { BUILT_IN_PLANS } from '../accounts/plans.ts';
import { cliContext, CliError } from './context.ts';
import { fixturePortalCommand } from './fixture-portal.ts';
import { jurisdictionsCommand } from './jurisdictions.ts';
import { keysCreate, keysList, keysRevoke } from './keys.ts';
import { lookupCommand } from './lookup.ts';
import { parseCommand } from './parse.ts';
import { rebuildCommand } from './rebuild.ts';
import { serveCommand } from './serve.ts';

/** The `permitwatch` command line; every command reads the same config as the server. */
export function buildProgram(env: Record<string, string | undefined>): Command {
  const program = new Command('permitwatch')
    .description('Self-hosted building-permit status service')
    .version('0.1.0')
    .showHelpAfterError();
  const ctx = (level?: string) => cliContext(env, level);

  program
    .command('serve')
    .description('run the API server')
    .action(() => serveCommand(ctx()));

  program
    .command('lookup <permit_number>')
    .description('look a permit up (cached or live) and print its status')
    .option('-j, --jurisdiction <slug>', 'jurisdiction slug, e.g. ladbs')
    .option('--force-refresh', 'ignore the cache and fetch the portal')
    .option('--json', 'print the full record as JSON')
    .action((n: string, o: { jurisdiction?: string; json?: boolean; forceRefresh?: boolean }) => lookupCommand(ctx('warn'), n, o));

  program
    .command('rebuild')
    .description('drop the read models and replay them from the event log')
    .option('--only <names>', 'comma-separated projection names', (v: string) => v.split(','))
    .option('--demo', 'rebuild the demo database instead')
    .action((o: { only?: string[]; demo?: boolean }) => rebuildCommand(ctx('warn'), o));

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create a key; it is printed once, alone on the last line')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--plan <plan>', `plan: ${BUILT_IN_PLANS.map((p) => p.name).join(' | ')} or one defined in config`, 'free')
    .option('--permissions <list>', 'read,write,admin', 'read')
    .option('--sandbox', 'an sk_test_ key: demo data only, unmetered')
    .action((o: { name: string; plan: string; permissions?: string; sandbox?: boolean }) => keysCreate(ctx('warn'), o));
  keys
    .command('list')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => keysList(ctx('warn'), o));
  keys.command('revoke <id>').action((id: string) => keysRevoke(ctx('warn'), id));

  program
    .command('jurisdictions')
    .description("list jurisdictions with each portal's health, from the running server")
    .option('--url <url>', 'server base URL (default http://127.0.0.1:<PORT>)')
    .option('--key <key>', 'API key for the live plane (default $PERMITWATCH_API_KEY; none = demo plane)')
    .option('--json', 'print JSON')
    .action((o: { url?: string; key?: string; json?: boolean }) => jurisdictionsCommand(ctx('warn'), { ...o, key: o.key ?? env.PERMITWATCH_API_KEY }));

  program
    .command('fixture-portal')
    .description('serve the captured portal pages on loopback (offline instance, demos, parser work)')
    .option('--port <port>', 'port (0 = any free one)', '4321')
    .action((o: { port: string }) => fixturePortalCommand(ctx('warn'), o));

  program
    .command('parse <file>')
    .description('print the normalised PermitRecord of a saved portal page or response')
    .requiredOption('--platform <platform>', 'ladbs, accela, socrata, arcgis')
    .option('-j, --jurisdiction <slug>', 'jurisdiction (default: the first on that platform)')
    .option('--permit-number <n>', 'the number the page was fetched for')
    .action((file: string, o: { platform: string; jurisdiction?: string; permitNumber?: string }) => parseCommand(ctx('warn'), file, o));

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  try {
    await buildProgram(env).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`permitwatch: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
