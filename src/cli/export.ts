import { Presets, SingleBar } from 'cli-progress';
import { stringify } from 'csv-stringify/sync';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openDatabase } from '../app.ts';
import type { SqlValue } from '../db/db.ts';
import { CliError, EXIT_USAGE, type CliContext } from './context.ts';
import { assertDatabaseExists } from './existing-database.ts';
import { exportSource, type ExportSource, type ExportWhat } from './export-sources.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const EXPORT_WHATS = ['events', 'permits'] as const;

export interface ExportOptions {
  format: string;
  what: string;
  output?: string;
  demo?: boolean;
}

type Row = Record<string, SqlValue>;

/** One NDJSON line: the JSON-text columns written as the objects they hold, so a reader parses once. */
function ndjsonLines(rows: Row[], jsonColumns: readonly string[]): string {
  let out = '';
  for (const row of rows) {
    const line: Record<string, unknown> = { ...row };
    for (const c of jsonColumns) if (typeof row[c] === 'string') line[c] = JSON.parse(row[c]);
    out += `${JSON.stringify(line)}\n`;
  }
  return out;
}

/**
 * RFC 4180 CSV through csv-stringify: fields with commas, quotes or line breaks are quoted, and
 * quotes doubled. `escape_formulas` keeps text scraped from a portal (an address, a description
 * starting with `=`, `+`, `-` or `@`) from running as a formula when the file opens in a
 * spreadsheet (OWASP "CSV Injection"); JSON columns start with `{` and are untouched.
 */
function csvLines(rows: Row[], columns: readonly string[], header: boolean): string {
  return stringify(rows, { header, columns: [...columns], escape_formulas: true });
}

/** Writes a chunk, waiting for the stream to drain when its buffer is full (so memory stays one page). */
async function write(stream: NodeJS.WritableStream, chunk: string, failed: () => Error | undefined): Promise<void> {
  const err = failed();
  if (err) throw err;
  if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
}

/**
 * `permitwatch export --format ndjson|csv [--what events|permits] [--output file]`: the event log
 * (up to its head when the export starts) or the permits read model, page by page, so memory
 * stays one page however large the database. Data goes to stdout (nothing else does) or to
 * `--output`, which is never overwritten; a progress bar shows on stderr when it is a terminal
 * and the data is not going to that terminal.
 */
export async function exportCommand(ctx: CliContext, options: ExportOptions): Promise<void> {
  const format = options.format as (typeof EXPORT_FORMATS)[number];
  const what = options.what as ExportWhat;
  if (!EXPORT_FORMATS.includes(format))
    throw new CliError(`--format must be ${EXPORT_FORMATS.join(' or ')}, got "${options.format}"`, EXIT_USAGE);
  if (!EXPORT_WHATS.includes(what)) throw new CliError(`--what must be ${EXPORT_WHATS.join(' or ')}, got "${options.what}"`, EXIT_USAGE);
  const target = options.output === undefined ? undefined : resolve(options.output);
  if (target && existsSync(target)) throw new CliError(`${target} already exists: export never overwrites a file`, EXIT_USAGE);
  if (target && !existsSync(dirname(target))) throw new CliError(`the directory of ${target} does not exist`, EXIT_USAGE);

  const url = options.demo ? ctx.config.demo_database_url : ctx.config.database_url;
  assertDatabaseExists(url);
  const db = await openDatabase(url, options.demo ? undefined : ctx.config.database_auth_token);
  let source: ExportSource;
  try {
    source = await exportSource(db, what);
  } catch (err) {
    await db.close();
    throw err;
  }
  const output: NodeJS.WritableStream = target ? createWriteStream(target, { flags: 'wx' }) : process.stdout;
  let error: Error | undefined;
  const onError = (err: Error) => (error = err);
  output.on('error', onError);
  const showBar = process.stderr.isTTY && (target !== undefined || !process.stdout.isTTY);
  const bar = showBar ? new SingleBar({ stream: process.stderr, hideCursor: true, etaBuffer: 50 }, Presets.shades_classic) : undefined;
  bar?.start(source.total, 0);
  let rows = 0;
  try {
    for await (const page of source.pages()) {
      const chunk = format === 'ndjson' ? ndjsonLines(page, source.jsonColumns) : csvLines(page, source.columns, rows === 0);
      await write(output, chunk, () => error);
      rows += page.length;
      bar?.update(rows);
    }
    // An empty CSV export still has its header, so a reader knows the columns.
    if (format === 'csv' && rows === 0) await write(output, csvLines([], source.columns, true), () => error);
    if (target) {
      output.end();
      await once(output, 'finish');
    }
  } catch (err) {
    // The reader went away (`| head`): what it wanted was written; nothing to report.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  } finally {
    bar?.stop();
    output.off('error', onError);
    await db.close();
  }
  if (error && (error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  // With --output, stdout carries no data, so the summary may go there.
  if (target) ctx.out(`exported ${rows} ${what} as ${format} to ${target}`);
}
