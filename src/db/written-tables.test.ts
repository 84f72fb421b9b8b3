import { describe, expect, it } from 'vitest';
import { writtenTables } from './written-tables.ts';

describe('writtenTables', () => {
  it.each([
    ['SELECT * FROM permits WHERE stream = ?', []],
    ['WITH x AS (SELECT 1) SELECT * FROM x', []],
    ['INSERT INTO permits (a) VALUES (?) ON CONFLICT(stream) DO UPDATE SET a = excluded.a', ['permits']],
    ['INSERT OR IGNORE INTO usage_daily VALUES (?)', ['usage_daily']],
    ['REPLACE INTO checkpoints VALUES (?, ?)', ['checkpoints']],
    ['UPDATE api_keys SET last_used_at = ? WHERE id = ?', ['api_keys']],
    ['  delete from "timeline" WHERE stream = ?', ['timeline']],
    ['INSERT INTO a SELECT * FROM b; DELETE FROM c', ['a', 'c']],
  ])('%s', (sql, tables) => {
    expect(writtenTables(sql)).toEqual(tables);
  });

  it.each(['CREATE TABLE t (a)', 'DROP INDEX i', 'PRAGMA cache_size = -2000', 'SELECT 1; SELECT 2', 'VACUUM'])(
    'counts %s as writing everything',
    (sql) => {
      expect(writtenTables(sql)).toBe('all');
    },
  );
});
