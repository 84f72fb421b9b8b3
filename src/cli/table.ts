import type { CliContext } from './context.ts';

/** Prints a header row and rows as space-aligned columns; trailing spaces are trimmed. */
export function printTable(ctx: CliContext, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  for (const row of table)
    ctx.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}
