import { createPlaneProjector, openDatabase } from '../app.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { CliError, type CliContext } from './context.ts';

/** `permitwatch rebuild`: rebuild the read models from the event log (projector.rebuild). */
export async function rebuildCommand(ctx: CliContext, options: { only?: string[]; demo?: boolean; json?: boolean }): Promise<void> {
  const names = PROJECTIONS.map((p) => p.name);
  const unknown = (options.only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new CliError(`unknown projection(s) ${unknown.join(', ')}; known: ${names.join(', ')}`, 2);
  const url = options.demo ? ctx.config.demo_database_url : ctx.config.database_url;
  const db = await openDatabase(url, options.demo ? undefined : ctx.config.database_auth_token);
  try {
    const started = performance.now();
    let lastReport = 0;
    // The webhook outbox rides along but never replays: a rebuild only moves its checkpoint.
    const done = await createPlaneProjector(createCatalog()).rebuild(db, {
      only: options.only,
      onProgress: (n, total) => {
        if (performance.now() - lastReport > 1000) {
          lastReport = performance.now();
          ctx.err(`  ${n}/${total} events`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      const summary = { projections: options.only ?? names, events: done, seconds: Math.round(seconds * 1000) / 1000 };
      ctx.out(JSON.stringify(summary, null, 2));
      return;
    }
    ctx.out(
      `rebuilt ${(options.only ?? names).join(', ')} from ${done} events in ${seconds.toFixed(2)} s (${Math.round(done / Math.max(seconds, 0.001))} events/s)`,
    );
  } finally {
    await db.close();
  }
}
