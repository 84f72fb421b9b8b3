import type { Logger } from 'pino';
import { startFixturePortal, type FixturePortal, type FixtureRoute } from './demo/fixture-portal.ts';
import { createApp, type App, type AppOptions } from './app.ts';
import { seedDemo } from './demo/seed.ts';
import { currentRuntime } from './runtime/runtime.ts';

export interface RunningServer {
  url: string;
  port: number;
  app: App;
  /** The loopback portal serving captured pages to the demo plane, when demo mode is on. */
  demoPortal?: FixturePortal;
  close(): Promise<void>;
}

/**
 * The captured pages the demo plane is loaded from: the fixture portal's routes and the permits
 * to look up through them. Handed in by the caller (the CLI reads them from `fixtures/`), so the
 * server itself imports no fixture data.
 */
export interface DemoData {
  routes: readonly FixtureRoute[];
  permits: readonly { jurisdiction: string; permit_number: string }[];
}

export type ServiceOptions = Omit<AppOptions, 'demoPortalUrl'> & { log: Logger; demoData?: DemoData };

/**
 * The service without a listener: the demo fixture portal (demo mode), the app and the demo
 * seed. `startServer` listens on it; `permitwatch mcp` serves it over stdio.
 */
export async function startService(options: ServiceOptions): Promise<{ app: App; demoPortal?: FixturePortal }> {
  const { config, log, demoData } = options;
  const demoPortal = config.demo && demoData ? await startFixturePortal({ routes: demoData.routes }) : undefined;
  // The server re-checks watched permits unless PERMITWATCH_SYNC=off (issue 17).
  const app = await createApp({ ...options, sync: options.sync ?? config.sync, demoPortalUrl: demoPortal?.url }).catch(
    async (err: unknown) => {
      await demoPortal?.close();
      throw err;
    },
  );
  if (app.demo) {
    const seeded = await seedDemo(app.demo, demoData?.permits ?? [], log);
    if (!seeded.skipped) log.info({ permits: seeded.seeded }, 'demo dataset loaded through the real adapters');
  }
  return { app, demoPortal };
}

/**
 * Starts the whole service: the demo fixture portal (demo mode), the app, the demo seed, and
 * the HTTP listener. `npm start`, the CLI's `serve` and the end-to-end tests all start it here.
 */
export async function startServer(options: ServiceOptions): Promise<RunningServer> {
  const { config } = options;
  const { app, demoPortal } = await startService(options);
  const runtime = await currentRuntime();
  const listener = await runtime.serveFetch(app.api.fetch, { port: config.port, host: config.host }).catch(async (err: unknown) => {
    await app.close();
    await demoPortal?.close();
    throw err;
  });
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${listener.port}`,
    port: listener.port,
    app,
    demoPortal,
    async close() {
      // Together: the listener stops accepting and lets requests in flight finish while the
      // workers stop claiming and end their attempts; the databases close after both.
      await Promise.all([listener.close(), app.stopWorkers()]);
      await app.close();
      await demoPortal?.close();
    },
  };
}
