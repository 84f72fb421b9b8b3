import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Where the CLI's logs go: stderr, so a command's stdout stays machine-readable (`--json`, the key line). */
export interface LogTarget {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/**
 * The CLI's and server's logger: one JSON line per entry (for log shippers) unless the target is
 * a terminal, where pino-pretty prints readable lines, coloured unless `NO_COLOR` is set
 * (no-color.org: any non-empty value).
 */
export function createLogger(level: string, target: LogTarget, env: Record<string, string | undefined>): Logger {
  if (!target.isTTY) return pino({ level }, { write: (line: string) => void target.write(line) });
  // prettyFactory formats synchronously, line by line: no transport thread, which the Bun binary lacks.
  const prettify = prettyFactory({ colorize: !env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return pino({ level }, { write: (line: string) => void target.write(prettify(line)) });
}
