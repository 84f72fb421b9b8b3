/** One SODA JSON row: column name → value. SODA sends numbers and dates as strings. */
export type SodaRow = Readonly<Record<string, unknown>>;

/**
 * The text of a column: trimmed, null when absent or blank. Numbers are given as text; a `url`
 * column's object ({"url": "..."}, Austin `link` in current answers) gives its URL; other
 * objects (a `location` point) have no text and give null.
 */
export function columnText(row: SodaRow, field: string | null): string | null {
  if (field === null) return null;
  const value = row[field];
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'object' && value !== null && 'url' in value && typeof value.url === 'string') {
    return value.url.trim() || null;
  }
  return null;
}

// "14035.44", "8285917.0", "0", "-12.5": SODA's number-as-string. Thousands separators and
// currency signs are not SODA output and are rejected rather than guessed at.
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A column's number ("14612872" → 14612872); null when absent, blank or not a plain number. */
export function columnNumber(row: SodaRow, field: string | null): number | null {
  const text = columnText(row, field);
  return text !== null && NUMBER.test(text) ? Number(text) : null;
}
