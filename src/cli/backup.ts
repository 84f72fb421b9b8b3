import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'libsql';
import { openDatabase } from '../app.ts';
import { databaseKind } from '../db/url.ts';
import { CliError, EXIT_USAGE, type CliContext } from './context.ts';
import { assertDatabaseExists } from './existing-database.ts';

/**
 * `permitwatch backup <file>`: a consistent copy of the embedded database while the server keeps
 * serving. SQLite's `VACUUM INTO` reads one snapshot (a read transaction: writers go on in WAL
 * mode, and nothing committed after the snapshot is half in the copy) and writes a compact,
 * self-contained file that opens as a database on its own. A libSQL server is backed up by its
 * own tools, so remote URLs are refused. An existing file is never overwritten.
 */
export async function backupCommand(ctx: CliContext, file: string, options: { demo?: boolean }): Promise<void> {
  const url = options.demo ? ctx.config.demo_database_url : ctx.config.database_url;
  if (databaseKind(url) !== 'embedded' || url.includes(':memory:')) {
    throw new CliError(
      `backup copies an embedded file: database; ${url} is not one (back a libSQL server up with its own tools)`,
      EXIT_USAGE,
    );
  }
  assertDatabaseExists(url);
  const target = resolve(file);
  if (existsSync(target)) throw new CliError(`${target} already exists: backup never overwrites a file`, EXIT_USAGE);
  if (!existsSync(dirname(target))) throw new CliError(`the directory of ${target} does not exist`, EXIT_USAGE);
  const started = performance.now();
  // Opened once through the app's opener (the path is checked, the schema brought up to date).
  const db = await openDatabase(url, options.demo ? undefined : ctx.config.database_auth_token);
  const source = db.file;
  await db.close();
  if (!source) throw new CliError(`${url} has no database file to copy`, EXIT_USAGE);
  // VACUUM cannot run inside a transaction, and the db interface runs every write in one; a
  // read-only connection of its own reads the snapshot and cannot change the original.
  const conn = new Database(source, { readonly: true });
  try {
    conn.prepare('VACUUM INTO ?').run(target);
  } finally {
    conn.close();
  }
  const copy = await openDatabase(`file:${target}`);
  try {
    const events = (await copy.get<{ n: number }>('SELECT count(*) AS n FROM events'))?.n ?? 0;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    ctx.out(`backed up ${url} to ${target}: ${events} events, ${(statSync(target).size / 1024 / 1024).toFixed(1)} MB, in ${seconds} s`);
  } finally {
    await copy.close();
  }
}
