import { Command, CommanderError } from 'commander';
import { BUILT_IN_PLANS } from '../accounts/plans.ts';
import { cliContext, CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './context.ts';
import type { ExportOptions } from './export.ts';
import type { ListenOptions } from './listen.ts';
import type { WatchCliOptions } from './watch.ts';
import type { WebhookCliOptions, WebhookCreateOptions } from './webhooks.ts';

/**
 * The `permitwatch` command line; every command reads the same config as the server. Each
 * command's module is imported when it runs, so `--help` and `--version` load none of them.
 */
export function buildProgram(env: Record<string, string | undefined>): Command {
  const program = new Command('permitwatch')
    .description('Self-hosted building-permit status service')
    .version('0.1.0')
    .showHelpAfterError()
    // Usage errors return exit code 2 through runCli instead of exiting the process (subcommands inherit this).
    .exitOverride();
  const ctx = (level?: string) => cliContext(env, level);
  /** Commands that ask the running server take `--key`, else PERMITWATCH_API_KEY. */
  const keyed = <T extends { key?: string }>(o: T): T => ({ ...o, key: o.key ?? env.PERMITWATCH_API_KEY });

  program
    .command('serve')
    .description('run the API server')
    .action(async () => (await import('./serve.ts')).serveCommand(ctx()));

  program
    .command('lookup <permit_number>')
    .description('look a permit up (cached or live) and print its status')
    .option('-j, --jurisdiction <slug>', 'jurisdiction slug, e.g. ladbs')
    .option('--force-refresh', 'ignore the cache and fetch the portal')
    .option('--json', 'print the status body, as GET /api/v1/permits/{n}/status answers it')
    .action(async (n: string, o: { jurisdiction?: string; json?: boolean; forceRefresh?: boolean }) =>
      (await import('./lookup.ts')).lookupCommand(ctx('warn'), n, o),
    );

  program
    .command('sync')
    .description('re-check watched permits and read feeds: runs until stopped (as serve does), or one pass with --once')
    .option('--once', 'one pass: every enabled feed, and the checks due now, then a summary (checked, changed, failed)')
    .option('--json', 'with --once: print the summary as JSON')
    .action(async (o: { once?: boolean; json?: boolean }) => (await import('./sync.ts')).syncCommand(ctx(o.once ? 'warn' : undefined), o));

  program
    .command('feeds')
    .description("each open-data feed's cursor, last run, rows and errors (PERMITWATCH_FEEDS enables them)")
    .option('--json', 'print the feeds and their cursors as JSON')
    .action(async (o: { json?: boolean }) => (await import('./feeds.ts')).feedsCommand(ctx('warn'), o));

  program
    .command('mcp')
    .description('serve the MCP tools over stdio for an AI assistant (key: $PERMITWATCH_API_KEY; none = demo dataset)')
    .action(async () => (await import('./mcp.ts')).mcpCommand(ctx('warn'), env.PERMITWATCH_API_KEY));

  program
    .command('rebuild')
    .description('drop the read models and replay them from the event log')
    .option('--only <names>', 'comma-separated projection names', (v: string) => v.split(','))
    .option('--demo', 'rebuild the demo database instead')
    .option('--json', 'print the summary as JSON (projections, events, seconds)')
    .action(async (o: { only?: string[]; demo?: boolean; json?: boolean }) =>
      (await import('./rebuild.ts')).rebuildCommand(ctx('warn'), o),
    );

  program
    .command('backup <file>')
    .description('write a consistent copy of the database to <file> while the server keeps serving')
    .option('--demo', 'back up the demo database instead')
    .action(async (file: string, o: { demo?: boolean }) => (await import('./backup.ts')).backupCommand(ctx('warn'), file, o));

  program
    .command('export')
    .description('stream the event log or the permits read model as NDJSON or CSV, to stdout or --output')
    .requiredOption('--format <format>', 'ndjson | csv')
    .option('--what <what>', 'events | permits', 'events')
    .option('--output <file>', 'write to this file (never overwritten) instead of stdout')
    .option('--demo', 'export the demo database instead')
    .action(async (o: ExportOptions) => (await import('./export.ts')).exportCommand(ctx('warn'), o));

  program
    .command('doctor')
    .description('check the database, migrations, portal reachability (through the overrides), the clock and the webhook target guard')
    .option('--json', 'print { ok, checks } as JSON')
    .action(async (o: { json?: boolean }) => (await import('./doctor.ts')).doctorCommand(ctx('warn'), o));

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create a key; it is printed once, alone on the last line')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--plan <plan>', `plan: ${BUILT_IN_PLANS.map((p) => p.name).join(' | ')} or one defined in config`, 'free')
    .option('--permissions <list>', 'read,write,admin', 'read')
    .option('--sandbox', 'an sk_test_ key: demo data only, unmetered')
    .option('--json', 'print what POST /api/v1/keys answers (the key included)')
    .action(async (o: { name: string; plan: string; permissions?: string; sandbox?: boolean; json?: boolean }) =>
      (await import('./keys.ts')).keysCreate(ctx('warn'), o),
    );
  keys
    .command('list')
    .option('--json', 'print what GET /api/v1/keys answers')
    .action(async (o: { json?: boolean }) => (await import('./keys.ts')).keysList(ctx('warn'), o));
  keys
    .command('revoke <id>')
    .option('--json', 'print what DELETE /api/v1/keys/{id} answers')
    .action(async (id: string, o: { json?: boolean }) => (await import('./keys.ts')).keysRevoke(ctx('warn'), id, o));

  program
    .command('jurisdictions')
    .description("list jurisdictions with each portal's health, from the running server")
    .option('--url <url>', 'server base URL (default http://127.0.0.1:<PORT>)')
    .option('--key <key>', 'API key for the live plane (default $PERMITWATCH_API_KEY; none = demo plane)')
    .option('--json', 'print JSON')
    .action(async (o: { url?: string; key?: string; json?: boolean }) =>
      (await import('./jurisdictions.ts')).jurisdictionsCommand(ctx('warn'), keyed(o)),
    );

  const webhooks = program.command('webhooks').description("your key's webhooks, from the running server");
  const serverOptions = (c: Command) =>
    c
      .option('--url <url>', 'server base URL (default http://127.0.0.1:<PORT>)')
      .option('--key <key>', 'API key the webhooks belong to (default $PERMITWATCH_API_KEY)')
      .option('--json', 'print the JSON the server answered');
  serverOptions(
    webhooks.command('create <target_url>').description('register a webhook; its signing secret is printed once, on the last line'),
  )
    .option('--events <list>', 'comma-separated event names (default: permit.created)')
    .option('--jurisdiction <slugs>', 'only these jurisdictions, comma-separated')
    .option('--city <city>', 'only permits in this city')
    .option('--state <st>', 'only permits in this state (2 letters)')
    .option('--category <category>', 'only this category (solar, roofing, ...)')
    .option('--zip-code <zip>', 'only this ZIP code')
    .option('--near <lat,lng,radius_m>', 'only permits within radius_m metres of the point, e.g. 41.9997,-87.69,500')
    .action(async (target: string, o: WebhookCreateOptions) =>
      (await import('./webhooks.ts')).webhooksCreate(ctx('warn'), target, keyed(o)),
    );
  serverOptions(webhooks.command('delete <webhook_id>').description('deactivate a webhook (its delivery log is kept)')).action(
    async (id: string, o: WebhookCliOptions) => (await import('./webhooks.ts')).webhooksDelete(ctx('warn'), id, keyed(o)),
  );
  serverOptions(webhooks.command('list').description("the key's subscriptions")).action(async (o: WebhookCliOptions) =>
    (await import('./webhooks.ts')).webhooksList(ctx('warn'), keyed(o)),
  );
  serverOptions(webhooks.command('deliveries <webhook_id>').description('delivery log, newest first'))
    .option('--limit <n>', 'how many (1-100, default 20)')
    .option('--status <status>', 'pending | delivered | dead')
    .action(async (id: string, o: WebhookCliOptions & { limit?: string; status?: string }) =>
      (await import('./webhooks.ts')).webhooksDeliveries(ctx('warn'), id, keyed(o)),
    );
  serverOptions(webhooks.command('retry <webhook_id> <delivery_id>').description('send a delivery again now (same id, same body)')).action(
    async (id: string, delivery: string, o: WebhookCliOptions) =>
      (await import('./webhooks.ts')).webhooksRetry(ctx('warn'), id, delivery, keyed(o)),
  );
  serverOptions(
    webhooks.command('test <webhook_id>').description('have the server POST a signed test event; exit 1 unless accepted'),
  ).action(async (id: string, o: WebhookCliOptions) => (await import('./webhooks.ts')).webhooksTest(ctx('warn'), id, keyed(o)));

  const watch = program.command('watch').description("your key's watched permits, from the running server");
  const watchOptions = (c: Command) =>
    c
      .option('--url <url>', 'server base URL (default http://127.0.0.1:<PORT>)')
      .option('--key <key>', 'API key the watches belong to (default $PERMITWATCH_API_KEY)')
      .option('--json', 'print the JSON the server answered');
  watchOptions(watch.command('add <permit_number>').description('watch a permit: re-checked on its own, its changes sent to your webhooks'))
    .option('-j, --jurisdiction <slug>', 'jurisdiction slug, when the number matches several')
    .option('--label <label>', 'your name for it')
    .option('--note <note>', 'a note kept with the watch')
    .action(async (n: string, o: WatchCliOptions & { jurisdiction?: string; label?: string; note?: string }) =>
      (await import('./watch.ts')).watchAdd(ctx('warn'), n, keyed(o)),
    );
  watchOptions(watch.command('list').description('watched permits with their current status')).action(async (o: WatchCliOptions) =>
    (await import('./watch.ts')).watchList(ctx('warn'), keyed(o)),
  );
  watchOptions(watch.command('remove <watch_id>').description('stop watching (the permit and its history stay)')).action(
    async (id: string, o: WatchCliOptions) => (await import('./watch.ts')).watchRemove(ctx('warn'), id, keyed(o)),
  );

  program
    .command('listen')
    .description('receive webhooks on loopback and print each delivery with its signature verdicts')
    .option('--port <port>', 'port (0 = any free one)', '4400')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--secret <whsec>',
      'signing secret; repeat or comma-separate for a rotation (default $PERMITWATCH_WEBHOOK_SECRET)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .action(async (o: ListenOptions) => {
      const stop = new AbortController();
      const secret = o.secret ?? (env.PERMITWATCH_WEBHOOK_SECRET ? [env.PERMITWATCH_WEBHOOK_SECRET] : undefined);
      const done = (await import('./listen.ts')).listenCommand(ctx('warn'), { ...o, secret }, stop.signal);
      (await import('../runtime/signals.ts')).onShutdown(async () => {
        stop.abort();
        await done;
      });
      return done;
    });

  program
    .command('fixture-portal')
    .description('serve the captured portal pages on loopback (offline instance, demos, parser work)')
    .option('--port <port>', 'port (0 = any free one)', '4321')
    .action(async (o: { port: string }) => (await import('./fixture-portal.ts')).fixturePortalCommand(ctx('warn'), o));

  program
    .command('parse <file>')
    .description('print the normalised PermitRecord of a saved portal page or response')
    .requiredOption('--platform <platform>', 'ladbs, accela, socrata, arcgis')
    .option('-j, --jurisdiction <slug>', 'jurisdiction (default: the first on that platform)')
    .option('--permit-number <n>', 'the number the page was fetched for')
    .action(async (file: string, o: { platform: string; jurisdiction?: string; permitNumber?: string }) =>
      (await import('./parse.ts')).parseCommand(ctx('warn'), file, o),
    );

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  try {
    await buildProgram(env).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; commander has printed what it had to say.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      process.stderr.write(`permitwatch: ${err.message}\n`);
      return err.exitCode;
    }
    // Anything else is a failure the user should read as a sentence; the stack is for debugging.
    const debug = env.PERMITWATCH_LOG_LEVEL === 'debug' || env.PERMITWATCH_LOG_LEVEL === 'trace';
    process.stderr.write(`permitwatch: ${debug && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}
