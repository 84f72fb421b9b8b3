import { createRequire } from 'node:module';
import type { parseHTML as linkedomParseHTML } from 'linkedom';

let parser: typeof linkedomParseHTML | undefined;

/**
 * linkedom's `parseHTML`, loaded on the first page parsed: linkedom adds about 27 MB to a
 * process's resident memory, which a server answering from its database never needs
 * (bench/rebuild.ts measures the server). Loaded synchronously so that parsers stay plain
 * synchronous functions.
 */
export function parseHTML(html: string): ReturnType<typeof linkedomParseHTML> {
  parser ??= (createRequire(import.meta.url)('linkedom') as { parseHTML: typeof linkedomParseHTML }).parseHTML;
  return parser(html);
}
