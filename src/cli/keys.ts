import { openDatabase } from '../app.ts';
import { createKey, KEY_SHOWN_ONCE_WARNING, listKeys, Permission } from '../accounts/keys.ts';
import { resolvePlans } from '../accounts/plans.ts';
import { revokeKeyAndWebhooks } from '../webhooks/key-revocation.ts';
import { disableKeySubscriptions } from '../webhooks/subscriptions.ts';
import { CliError, type CliContext } from './context.ts';
import { printTable } from './table.ts';

async function withAccounts<T>(ctx: CliContext, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(ctx.config.database_url, ctx.config.database_auth_token);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `permitwatch keys create`: prints the key once, alone on the last line (scripts take `tail -1`). */
export async function keysCreate(
  ctx: CliContext,
  options: { name: string; plan: string; sandbox?: boolean; permissions?: string; json?: boolean },
): Promise<void> {
  const plans = resolvePlans(ctx.config.plans).map((p) => p.name);
  if (!plans.includes(options.plan)) throw new CliError(`unknown plan "${options.plan}"; one of ${plans.join(', ')}`, 2);
  const permissions = (options.permissions ?? 'read').split(',').map((p) => p.trim());
  const bad = permissions.filter((p) => !Permission.safeParse(p).success);
  if (bad.length > 0) throw new CliError(`unknown permission(s) ${bad.join(', ')}; use read, write, admin`, 2);
  if (!options.name.trim()) throw new CliError('--name must not be empty', 2);
  const { key, record } = await withAccounts(ctx, (db) =>
    createKey(db, { name: options.name.trim(), plan: options.plan, sandbox: options.sandbox, permissions: permissions as Permission[] }),
  );
  if (options.json) {
    // POST /api/v1/keys's body: the key's fields, the key itself (shown once) and the warning.
    ctx.out(JSON.stringify({ ...record, key, warning: KEY_SHOWN_ONCE_WARNING }, null, 2));
    return;
  }
  ctx.out(
    `created ${record.sandbox ? 'sandbox ' : ''}key ${record.id} "${record.name}" (plan ${record.plan}, ${record.permissions.join(',')})`,
  );
  ctx.out('store it now: it is shown only once');
  ctx.out(key);
}

export async function keysList(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const keys = await withAccounts(ctx, (db) => listKeys(db));
  if (options.json) {
    ctx.out(JSON.stringify({ keys }, null, 2)); // GET /api/v1/keys's body
    return;
  }
  if (keys.length === 0) {
    ctx.out('no keys yet: permitwatch keys create --name <name> --plan <plan>');
    return;
  }
  printTable(
    ctx,
    ['ID', 'PREFIX', 'NAME', 'PLAN', 'PERMISSIONS', 'STATE', 'LAST USED'],
    keys.map((k) => [
      k.id,
      `${k.key_prefix}…`,
      k.name,
      k.plan,
      k.permissions.join(','),
      k.revoked_at ? `revoked ${k.revoked_at}` : 'active',
      k.last_used_at ?? 'never',
    ]),
  );
}

/**
 * `permitwatch keys revoke`: the key's webhooks stop with it. A sandbox key's are in the demo
 * database, opened only then (so revoking a live key never creates a demo database file).
 */
export async function keysRevoke(ctx: CliContext, id: string, options: { json?: boolean } = {}): Promise<void> {
  const now = new Date();
  const result = await withAccounts(ctx, (db) => revokeKeyAndWebhooks({ accountsDb: db, id, now }));
  if (result.ok && result.key.sandbox && ctx.config.demo) {
    const demoDb = await openDatabase(ctx.config.demo_database_url);
    try {
      await disableKeySubscriptions(demoDb, result.key.id, now);
    } finally {
      await demoDb.close();
    }
  }
  if (!result.ok) throw new CliError(result.reason === 'not_found' ? `no key ${id}` : `key ${id} is already revoked`, 1);
  if (options.json) ctx.out(JSON.stringify({ status: 'revoked', key: result.key }, null, 2)); // DELETE /api/v1/keys/{id}'s body
  else ctx.out(`revoked ${id}`);
}
