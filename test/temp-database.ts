import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';

export interface TempDatabase {
  db: Db;
  /** The `file:` URL, for a second connection to the same file (another process's stand-in). */
  url: string;
  /** Closes the database and removes its directory. */
  close(): Promise<void>;
}

/** A real libSQL file with every migration applied, in its own temp dir: what unit tests of the write path use. */
export async function openTempDatabase(prefix: string): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `pw-${prefix}-`));
  const url = `file:${join(dir, `${prefix}.db`)}`;
  const db = await openDatabase(url);
  return {
    db,
    url,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
