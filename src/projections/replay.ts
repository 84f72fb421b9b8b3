import type { Db, Queryable } from '../db/db.ts';
import { decodeFacts, type LoggedFacts, type StoredFacts } from '../events/decode.ts';
import { PERMIT_OBSERVED } from '../events/permit-observed.ts';
import { projectEvent } from './project-event.ts';
import { ProjectionError, type ProjectedEvent, type ProjectionWrites, type ReadModel } from './projection.ts';
import { openShadowWriter, type ShadowStatement, type ShadowWriter } from './shadow-writer.ts';

/**
 * Events read per round trip of the stream-ordered scan, and per `handle` call: a page's objects
 * die young (bench/README.md: larger batches kept them alive into the old generation).
 */
export const REPLAY_READ_PAGE = 1_000;
/** Events per transaction of the shadow writer. */
export const REPLAY_TRANSACTION_EVENTS = 10_000;
/** Prefix of the tables (and their unique indexes) a rebuild fills before it swaps them in. */
export const SHADOW_PREFIX = 'rebuild__';

/** What decodeFacts reads: the replay leaves `meta` and `recorded_at`, which no projection reads, on disk. */
const COLUMNS = 'position, stream, version, type, schema_version, data';

interface ShadowTable {
  name: string;
  shadow: string;
  /** The table's indexes as its migration made them, re-created under their own names at the swap. */
  indexes: { name: string; sql: string }[];
}

/**
 * Replays the log up to `head` into shadow copies of the read models' tables (DESIGN.md §5)
 * through the same `handle` catch-up uses: the log is read in (stream, version) order, so a
 * permit's events meet in one batch (but for the stream a page ends in, which the next batch
 * upserts) and each table gets one row per stream, not an upsert per event. The statements go
 * to a shadow writer (its own thread on a database file). The live
 * tables are untouched until `swap`, which replaces them in one transaction, so readers and
 * writers keep working during the replay and never see a half-built model. Returns the events
 * replayed.
 */
export async function replayIntoShadows(
  db: Db,
  readModels: readonly ReadModel[],
  head: number,
  onEvents?: (done: number) => void,
): Promise<{ replayed: number; swap: (tx: Queryable) => Promise<void>; discard: () => Promise<void> }> {
  const tables = await createShadows(
    db,
    readModels.flatMap((p) => p.tables),
  );
  const shadows = readModels.map((p) => p.into((table) => `${SHADOW_PREFIX}${table}`));
  const discard = () => dropShadows(db);
  let writer: ShadowWriter | undefined;
  try {
    writer = await openShadowWriter(db);
    let statements: ShadowStatement[] = [];
    const sink: ProjectionWrites = {
      async run(sql, params) {
        statements.push({ sql, params });
      },
    };
    let events: ProjectedEvent[] = [];
    const flush = async () => {
      if (events.length === 0) return;
      for (const p of shadows) await p.handle(events, sink);
      await writer!.write(statements);
      statements = [];
      events = [];
    };

    let replayed = 0;
    let uncommitted = 0;
    let last: LoggedFacts | undefined;
    for (;;) {
      const page = await db.all<StoredFacts>(
        `SELECT ${COLUMNS} FROM events WHERE position <= ? AND (stream, version) > (?, ?) ORDER BY stream, version LIMIT ?`,
        [head, last?.stream ?? '', last?.version ?? 0, REPLAY_READ_PAGE],
      );
      if (page.length === 0) break;
      for (const stored of page) {
        const decoded = decodeFacts(stored);
        if (!decoded.ok) throw new ProjectionError(decoded.message, decoded.position);
        const event = decoded.event;
        const before = last?.stream === event.stream ? last : undefined;
        if (event.version !== (before ? before.version + 1 : 1)) {
          throw new ProjectionError(`${event.stream} v${event.version} follows v${before?.version ?? 0}`, event.position);
        }
        const prev = before?.type === PERMIT_OBSERVED ? before.data.record : null;
        events.push(projectEvent(event, prev));
        last = event;
      }
      replayed += page.length;
      uncommitted += page.length;
      await flush();
      if (uncommitted >= REPLAY_TRANSACTION_EVENTS) {
        await writer.commit();
        uncommitted = 0;
      }
      onEvents?.(replayed);
    }
    await flush();
    // The tables `handle` left alone in the copies, each filled once from the rest (an FTS index).
    await writer.write(shadows.flatMap((p) => (p.deferred ?? []).map((d) => ({ sql: d.fill, params: [] }))));
    await writer.finish();
    writer = undefined;
    return {
      replayed,
      discard,
      async swap(tx) {
        for (const t of tables) {
          await tx.exec(`DROP TABLE ${quote(t.name)}; ALTER TABLE ${quote(t.shadow)} RENAME TO ${quote(t.name)};`);
          // The shadow's unique indexes carry the shadow's name (SQLite cannot rename an index).
          for (const i of t.indexes) await tx.exec(`DROP INDEX IF EXISTS ${quote(`${SHADOW_PREFIX}${i.name}`)}; ${i.sql}`);
        }
      },
    };
  } catch (err) {
    await writer?.abort();
    await discard();
    throw err;
  }
}

/**
 * Empty copies of each table with its unique indexes, which `handle`'s conflict clauses rely
 * on; the other indexes are built after the load, which is faster than keeping them up during it.
 */
async function createShadows(db: Db, names: readonly string[]): Promise<ShadowTable[]> {
  await dropShadows(db);
  const tables: ShadowTable[] = [];
  const creates: string[] = [];
  for (const name of names) {
    const shadow = `${SHADOW_PREFIX}${name}`;
    const def = await db.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]);
    if (!def) throw new ProjectionError(`table ${name} does not exist; run the migrations first`, 0);
    const indexes = await db.all<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
      [name],
    );
    tables.push({ name, shadow, indexes });
    // A virtual table (the search model's FTS5 index) is made by its module: `USING fts5(...)`
    // stays, and renaming it at the swap renames the module's own tables with it.
    const using = /^CREATE VIRTUAL TABLE/i.test(def.sql) ? def.sql.search(/\bUSING\b/i) : -1;
    // The name goes, the column list and constraints stay: after one rebuild SQLite stores the
    // renamed table's text as `CREATE TABLE "name" (...)`, so the body is cut at its parenthesis.
    if (using >= 0) creates.push(`CREATE VIRTUAL TABLE ${quote(shadow)} ${def.sql.slice(using)}`);
    else creates.push(`CREATE TABLE ${quote(shadow)} ${afterName(def.sql, name)}`);
    for (const i of indexes) {
      if (!/^CREATE UNIQUE INDEX/i.test(i.sql)) continue;
      // `CREATE UNIQUE INDEX name ON table (...)`: the same, under the shadow names.
      creates.push(`CREATE UNIQUE INDEX ${quote(`${SHADOW_PREFIX}${i.name}`)} ON ${quote(shadow)} ${afterName(i.sql, i.name)}`);
    }
  }
  await db.transaction(async (tx) => {
    for (const sql of creates) await tx.exec(sql);
  });
  return tables;
}

/** A table's or index's definition from its first parenthesis on: its columns, constraints, WHERE. */
function afterName(sql: string, name: string): string {
  const open = sql.indexOf('(');
  if (open < 0) throw new ProjectionError(`cannot read the definition of ${name}`, 0);
  return sql.slice(open);
}

/** Removes shadow tables a crashed or failed rebuild left behind. */
async function dropShadows(db: Db): Promise<void> {
  // Virtual tables first: dropping one drops the tables its module keeps (`..._fts_data`...),
  // which IF EXISTS then passes over.
  const left = await db.all<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC, name`,
    [`${SHADOW_PREFIX.replace(/_/g, '\\_')}%`],
  );
  if (left.length === 0) return;
  await db.transaction(async (tx) => {
    for (const { name } of left) await tx.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
  });
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
