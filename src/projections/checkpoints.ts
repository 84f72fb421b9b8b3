import type { Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';

export const CHECKPOINT_MIGRATIONS: Migration[] = [
  {
    id: '0010_projection_checkpoints',
    sql: `CREATE TABLE projection_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL)`,
  },
];

/** The last log position each projection has applied (0 when it has applied nothing). */
export async function loadCheckpoints(tx: Queryable, names: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.all<{ name: string; position: number }>('SELECT name, position FROM projection_checkpoints');
  const byName = new Map(rows.map((r) => [r.name, r.position]));
  return new Map(names.map((n) => [n, byName.get(n) ?? 0]));
}

/** Stores a checkpoint; call it in the transaction that wrote the rows it covers. */
export function saveCheckpoint(tx: Queryable, name: string, position: number): Promise<void> {
  return saveCheckpoints(tx, [name], position);
}

/** Stores one position for several projections in one statement (every observe saves five). */
export async function saveCheckpoints(tx: Queryable, names: readonly string[], position: number): Promise<void> {
  if (names.length === 0) return;
  await tx.run(
    `INSERT INTO projection_checkpoints (name, position) VALUES ${names.map(() => '(?, ?)').join(', ')}
     ON CONFLICT(name) DO UPDATE SET position = excluded.position`,
    names.flatMap((n) => [n, position]),
  );
}
