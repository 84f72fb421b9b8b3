import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config.ts';

/** What every command needs: the same validated config the server reads, and a logger. */
export interface CliContext {
  config: Config;
  log: Logger;
  out: (line: string) => void;
  err: (line: string) => void;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Loads config from the environment (and PERMITWATCH_CONFIG); a bad value stops with its key named. */
export function cliContext(env: Record<string, string | undefined>, logLevel?: string): CliContext {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new CliError(loaded.message, 2);
  const config = loaded.config;
  // Logs go to stderr so a command's stdout stays machine-readable (`--json`, the key line).
  const log = pino({ level: logLevel ?? config.log_level }, pino.destination(2));
  return {
    config,
    log,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
