import { startFixturePortal } from '../demo/fixture-portal.ts';
import { FIXTURE_FEEDS, FIXTURE_ROUTES } from '../../fixtures/routes.ts';
import { onShutdown } from '../runtime/signals.ts';
import type { CliContext } from './context.ts';

/**
 * `permitwatch fixture-portal`: serves the captured portal pages at their real paths on
 * loopback, so a whole instance runs offline (`PERMITWATCH_PORTAL_OVERRIDES='*=<url>'`) and a
 * scripted permit's status can be moved on with `POST /__fixtures/advance?route=...`, and a
 * growing feed's next rows published with `POST /__fixtures/publish?path=...&rows=n`.
 */
export async function fixturePortalCommand(ctx: CliContext, options: { port: string }): Promise<void> {
  const port = Number(options.port);
  const portal = await startFixturePortal({ routes: FIXTURE_ROUTES, feeds: FIXTURE_FEEDS, port: Number.isInteger(port) ? port : 0 });
  ctx.out(`fixture portal serving ${FIXTURE_ROUTES.length} captured routes on ${portal.url}`);
  ctx.out(`  routes and versions: curl -s ${portal.url}/__fixtures/routes`);
  for (const f of FIXTURE_FEEDS) ctx.out(`  publish feed rows: curl -s -X POST '${portal.url}/__fixtures/publish?path=${f.path}&rows=3'`);
  ctx.out(`  point Permitwatch at it: PERMITWATCH_PORTAL_OVERRIDES='*=${portal.url}' npm start`);
  onShutdown(() => portal.close());
}
