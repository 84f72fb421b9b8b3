import { createApp } from '../app.ts';
import { checkPermitNumber } from '../jurisdictions/match.ts';
import { statusBody } from '../api/routes/permits.ts';
import { CliError, type CliContext } from './context.ts';

/** `permitwatch lookup <number>`: the same write path as the API, from the terminal. */
export async function lookupCommand(
  ctx: CliContext,
  number: string,
  options: { jurisdiction?: string; json?: boolean; forceRefresh?: boolean },
): Promise<void> {
  const checked = checkPermitNumber(number);
  if (!checked.ok) throw new CliError(checked.message, 2);
  const app = await createApp({ config: ctx.config, log: ctx.log, dispatch: false });
  try {
    const result = await app.live.lookup.lookup({
      permitNumber: checked.number,
      jurisdiction: options.jurisdiction,
      forceRefresh: options.forceRefresh,
    });
    if (!result.ok) {
      const detail =
        result.reason === 'multiple_jurisdictions'
          ? `: pass --jurisdiction, one of ${result.candidates.map((j) => j.slug).join(', ')}`
          : 'message' in result
            ? `: ${result.message}`
            : '';
      throw new CliError(`${result.reason}${detail}`, 1);
    }
    const { row, jurisdiction, source, age_seconds } = result;
    if (options.json) {
      // The body GET /api/v1/permits/{n}/status answers, exactly (the operator may always refresh).
      ctx.out(JSON.stringify(statusBody(result, true), null, 2));
      return;
    }
    ctx.out(`${row.permit_number}  ${jurisdiction.display_name}`);
    ctx.out(`  status:   ${row.portal_status ?? '(none)'}  [${row.status_phase}]`);
    ctx.out(`  type:     ${row.permit_type ?? '(none)'}  (${row.category})`);
    ctx.out(`  address:  ${row.address_line ?? '(none)'}`);
    ctx.out(`  work:     ${row.work_description ?? '(none)'}`);
    ctx.out(`  source:   ${source}, checked ${age_seconds}s ago, version ${row.version}`);
  } finally {
    await app.close();
  }
}
