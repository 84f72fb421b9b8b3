import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import type { Queryable } from './db.ts';

/**
 * Drizzle over our db interface (either driver) through drizzle's proxy driver: typed queries
 * for the non-hot paths (DESIGN.md §9), while hot reads keep their prepared statements.
 */
export function drizzleOver(db: Queryable): SqliteRemoteDatabase {
  return drizzle(async (sql, params, method) => {
    if (method === 'run') {
      await db.run(sql, params as never);
      return { rows: [] };
    }
    const rows = await db.all<Record<string, unknown>>(sql, params as never);
    // The proxy driver expects positional rows in select order.
    const arrays = rows.map((r) => Object.values(r));
    return { rows: method === 'get' ? ((arrays[0] as unknown as unknown[][]) ?? []) : arrays };
  });
}
