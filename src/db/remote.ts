import { createClient, type InStatement, type ResultSet, type Transaction } from '@libsql/client';
import type { Db, Params, Queryable, Row } from './db.ts';
import { createReadCaches } from './read-cache.ts';

function rowsOf<T>(rs: ResultSet): T[] {
  // @libsql/client rows are array-like with column getters; copy to plain objects so JSON and
  // spreads behave exactly as with the embedded driver.
  return rs.rows.map((row) => {
    const out: Row = {};
    rs.columns.forEach((col, i) => {
      out[col] = row[i];
    });
    return out as T;
  });
}

function statement(sql: string, params?: Params): InStatement {
  if (params === undefined) return sql;
  return { sql, args: params as InStatement extends { args?: infer A } ? NonNullable<A> : never };
}

function queryable(exec: (stmt: InStatement) => Promise<ResultSet>, batch: (sql: string) => Promise<void>): Queryable {
  return {
    async all<T = Row>(sql: string, params?: Params) {
      return rowsOf<T>(await exec(statement(sql, params)));
    },
    async get<T = Row>(sql: string, params?: Params) {
      return rowsOf<T>(await exec(statement(sql, params)))[0];
    },
    async run(sql: string, params?: Params) {
      const rs = await exec(statement(sql, params));
      return { changes: rs.rowsAffected, lastInsertRowid: Number(rs.lastInsertRowid ?? 0) };
    },
    exec: batch,
  };
}

/**
 * A libSQL server (sqld, Turso) over `libsql://` or `http(s)://` (DESIGN.md §10): API nodes are
 * stateless and every process talks to the same database.
 */
export function openRemote(url: string, authToken?: string): Db {
  const client = createClient({ url, authToken });
  const base = queryable(
    (stmt) => client.execute(stmt),
    (sql) => client.executeMultiple(sql),
  );
  return {
    kind: 'remote',
    url,
    ...base,
    // Other API nodes write the same database and nothing tells this one: keep nothing (DESIGN.md §10).
    caches: createReadCaches(),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const tx: Transaction = await client.transaction('write');
      try {
        const result = await fn(
          queryable(
            (stmt) => tx.execute(stmt),
            (sql) => tx.executeMultiple(sql),
          ),
        );
        await tx.commit();
        return result;
      } catch (err) {
        await tx.rollback().catch(() => undefined);
        throw err;
      } finally {
        tx.close();
      }
    },
    async close() {
      client.close();
    },
  };
}
