import type { SqlValue } from './db.ts';

/** Where a batch statement runs: a transaction, or a rebuild's shadow writer (projections/projection.ts). */
export interface StatementRunner {
  run(sql: string, params: SqlValue[]): Promise<unknown>;
}

/**
 * Bound parameters per statement. SQLite allows 32,766 since 3.32; a statement of a few
 * thousand is as fast and keeps each bind well inside any driver's limit.
 */
export const MAX_PARAMS_PER_STATEMENT = 4_096;

/** Runs one statement over many rows; resolves when every row has been sent. */
export type BatchStatement = (tx: StatementRunner, rows: readonly (readonly SqlValue[])[]) => Promise<void>;

/**
 * One statement over many rows as few multi-row statements: `sqlFor(n)` is its text for n rows
 * of `width` values. Statements hold a power of two of rows, up to the largest that fits
 * MAX_PARAMS_PER_STATEMENT, so a table needs about a dozen texts however its batches vary in
 * size: the driver keeps every text it has seen prepared. Rows go out in the order given, which
 * is what makes a conflict clause keep the first of two rows, as one insert per row would.
 */
export function batchStatement(width: number, sqlFor: (rows: number) => string): BatchStatement {
  const most = 2 ** Math.floor(Math.log2(Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / width))));
  const texts = new Map<number, string>();
  return async (tx, rows) => {
    for (let i = 0; i < rows.length;) {
      const left = rows.length - i;
      const n = left >= most ? most : 2 ** Math.floor(Math.log2(left));
      let sql = texts.get(n);
      if (sql === undefined) texts.set(n, (sql = sqlFor(n)));
      // A loop, not rows.slice(...).flat(): flat alone was a visible share of a rebuild's time.
      const params: SqlValue[] = [];
      for (let r = i; r < i + n; r++) for (const v of rows[r]!) params.push(v);
      await tx.run(sql, params);
      i += n;
    }
  };
}

/** `INSERT INTO table (columns) VALUES (...), (...)` plus `tail` (a conflict clause), batched. */
export function insertRows(table: string, columns: readonly string[], tail = ''): BatchStatement {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return batchStatement(
    columns.length,
    (n) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}${tail}`,
  );
}

/** `DELETE FROM table WHERE column IN (...)`, batched: each row holds one value of `column`. */
export function deleteWhereIn(table: string, column: string): BatchStatement {
  return batchStatement(1, (n) => `DELETE FROM ${table} WHERE ${column} IN (${Array(n).fill('?').join(', ')})`);
}

/** `ON CONFLICT(target) DO UPDATE SET` every one of `columns` to the incoming row's value. */
export function upsertTail(target: string, columns: readonly string[]): string {
  return ` ON CONFLICT(${target}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}
