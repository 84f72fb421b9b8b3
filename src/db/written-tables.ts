/** Every table a statement may write; `all` when it cannot tell (DDL, PRAGMA, anything unusual). */
export type Written = readonly string[] | 'all';

const TARGET = /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?!SET\b)["`[]?(\w+)/gi;

/**
 * The tables a SQL statement writes, read from its INSERT/REPLACE/UPDATE/DELETE targets. Read
 * caches use it to know what a commit may have changed, so it errs wide: a statement that is
 * neither a plain read nor a recognised write (CREATE, DROP, ALTER, PRAGMA, several statements
 * at once) counts as writing everything. Our schema has no cascading foreign keys and its only
 * triggers abort, so a write touches only the tables it names.
 */
export function writtenTables(sql: string): Written {
  const text = sql.trim();
  const tables = new Set<string>();
  for (const m of text.matchAll(TARGET)) tables.add(m[1]!.toLowerCase());
  if (tables.size > 0) return [...tables];
  return /^(?:SELECT|WITH)\b/i.test(text) && !text.includes(';') ? [] : 'all';
}
