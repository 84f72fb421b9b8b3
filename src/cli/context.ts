import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from './logger.ts';

/** What every command needs: the same validated config the server reads, and a logger. */
export interface CliContext {
  config: Config;
  log: Logger;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The CLI's exit codes, one scheme for every command (README "Exit codes"). */
export const EXIT_OK = 0;
/** The command ran and failed: a server refused, a key was not found, a receiver said no. */
export const EXIT_FAILURE = 1;
/** The command line or the configuration is wrong: nothing was attempted. */
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** Loads config from the environment (and PERMITWATCH_CONFIG); a bad value stops with its key named. */
export function cliContext(env: Record<string, string | undefined>, logLevel?: string): CliContext {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new CliError(loaded.message, EXIT_USAGE);
  const config = loaded.config;
  // Logs go to stderr so a command's stdout stays machine-readable (`--json`, the key line).
  const log = createLogger(logLevel ?? config.log_level, process.stderr, env);
  return {
    config,
    log,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
