import { existsSync } from 'node:fs';
import { embeddedPath } from '../db/url.ts';
import { CliError, EXIT_USAGE } from './context.ts';

/**
 * Refuses an embedded database file that does not exist. Opening one creates it, and a command
 * that only reads the database (export, backup) would then answer from an empty database made by
 * a mistyped PERMITWATCH_DATABASE_URL instead of saying so.
 */
export function assertDatabaseExists(url: string): void {
  const file = embeddedPath(url);
  if (file && !existsSync(file)) {
    throw new CliError(`${file} does not exist: check PERMITWATCH_DATABASE_URL (the server creates it at its first start)`, EXIT_USAGE);
  }
}
