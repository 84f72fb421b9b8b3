import { readFileSync } from 'node:fs';
import { ADAPTERS } from '../jurisdictions/adapters.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { CliError, type CliContext } from './context.ts';

/**
 * `permitwatch parse --platform <p> <file>`: the normalised record of a saved page, exactly as
 * the adapter would store it. The adapter author's tool, and how a user reports a parser bug.
 */
export async function parseCommand(
  ctx: CliContext,
  file: string,
  options: { platform: string; jurisdiction?: string; permitNumber?: string },
): Promise<void> {
  const adapter = ADAPTERS[options.platform];
  if (!adapter) throw new CliError(`unknown platform "${options.platform}"; one of ${Object.keys(ADAPTERS).join(', ')}`, 2);
  const catalog = createCatalog();
  const jurisdiction = options.jurisdiction
    ? catalog.get(options.jurisdiction)
    : catalog.all().find((j) => j.platform === options.platform);
  if (!jurisdiction) throw new CliError(`no jurisdiction "${options.jurisdiction}" on platform ${options.platform}`, 2);
  if (jurisdiction.platform !== options.platform) {
    throw new CliError(`jurisdiction ${jurisdiction.slug} is on platform ${jurisdiction.platform}, not ${options.platform}`, 2);
  }
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
  const result = adapter.parse(body, { jurisdiction, permitNumber: options.permitNumber });
  if (!result.found) {
    const why = result.reason === 'bad_response' ? `${result.reason}: ${result.message}` : result.reason;
    throw new CliError(`no permit record in ${file} (${why})`, 1);
  }
  ctx.out(JSON.stringify(result.record, null, 2));
}
