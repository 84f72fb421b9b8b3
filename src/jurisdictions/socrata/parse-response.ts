import type { ParseResult } from '../adapter.ts';
import type { Jurisdiction } from '../jurisdiction.ts';
import { parseSocrataRow } from './parse-row.ts';
import { columnText, type SodaRow } from './row-values.ts';
import { socrataSettings, type SocrataSettings } from './settings.ts';

/**
 * The rows of a SODA JSON answer (`[{...}, ...]`); null for anything else: an error object
 * (`{"error": true, "message": ...}`), HTML, or a body that is not JSON.
 */
export function readSodaRows(body: string): SodaRow[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (!Array.isArray(json)) return null;
  return json.every((r): r is SodaRow => typeof r === 'object' && r !== null && !Array.isArray(r)) ? json : null;
}

/**
 * The row describing `permitNumber` among `rows`: its permit column equals the number (trimmed,
 * case ignored). Where several rows match (SF: one per address), the settings' primary row wins,
 * else the first. Without a number, the first row. Null when no row matches.
 */
export function selectSodaRow(rows: readonly SodaRow[], settings: SocrataSettings, permitNumber?: string): SodaRow | null {
  const wanted = permitNumber?.trim().toUpperCase();
  const matching = wanted === undefined ? rows : rows.filter((r) => columnText(r, settings.fields.permit_number)?.toUpperCase() === wanted);
  const primary = settings.primary_row;
  const preferred = primary ? matching.find((r) => columnText(r, primary.field) === primary.value) : undefined;
  return preferred ?? matching[0] ?? null;
}

/**
 * Parses a saved SODA answer for one jurisdiction (the `permitwatch parse` command and lookup).
 * An empty array, a body that is not a row array, or rows without the permit are `not_found`.
 */
export function parseSocrataResponse(body: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult {
  const settings = socrataSettings(input.jurisdiction);
  const rows = readSodaRows(body);
  const row = rows ? selectSodaRow(rows, settings, input.permitNumber) : null;
  const record = row ? parseSocrataRow(row, input.jurisdiction, settings) : null;
  return record ? { found: true, record } : { found: false, reason: 'not_found' };
}
