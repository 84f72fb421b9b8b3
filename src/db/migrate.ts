import { systemClock, type Clock } from '../lib/clock.ts';
import type { Db } from './db.ts';

/**
 * A schema step, embedded in the code so a single binary carries its own schema. Ids sort in
 * the order they must run; an applied id is never edited, only followed by a new one.
 */
export interface Migration {
  id: string;
  sql: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

/** Applies every migration not yet recorded, each in its own transaction. Returns the ids applied. */
export async function applyMigrations(db: Db, migrations: readonly Migration[], clock: Clock = systemClock): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`duplicate migration id ${dup}`);
  await db.exec(LEDGER);
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const done = await db.transaction(async (tx) => {
      const seen = await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [migration.id]);
      if (seen) return false;
      await tx.exec(migration.sql);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, new Date(clock.now()).toISOString()]);
      return true;
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}

/** The ids recorded as applied, for the readiness check. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await db.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
  return rows.map((r) => r.id);
}
