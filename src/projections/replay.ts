import type { Db, Queryable, SqlValue } from '../db/db.ts';
import { decodeFacts, type StoredFacts } from '../events/decode.ts';
import { diff } from '../permits/diff.ts';
import { ProjectionError, type Projection, type ReplayStep, type StreamRows } from './projection.ts';
import { openShadowWriter, type ShadowStatement, type ShadowWriter } from './shadow-writer.ts';

/** Events read per round trip of the stream-ordered scan. */
export const REPLAY_READ_PAGE = 2_000;
/** Events folded between two writes of the buffered rows; each write is one transaction. */
export const REPLAY_TRANSACTION_EVENTS = 10_000;
/**
 * Bound parameters per multi-row INSERT. SQLite allows 32,766 since 3.32; a smaller statement
 * is as fast and keeps each bind well inside any driver's limit.
 */
export const REPLAY_INSERT_PARAMS = 4_000;
/** Prefix of the tables a rebuild fills before it swaps them in. */
export const SHADOW_PREFIX = 'rebuild__';

/** What decodeFacts reads: the replay leaves `meta` and `recorded_at`, which no projection reads, on disk. */
const COLUMNS = 'position, stream, version, type, schema_version, data';

interface ShadowTable {
  name: string;
  shadow: string;
  columns: number;
  indexes: string[];
  /** Rows per full multi-row insert, and that insert's SQL, built once per rebuild. */
  perStatement: number;
  fullInsert: string;
  pending: SqlValue[][];
}

/**
 * Replays the log up to `head` into shadow copies of the projections' tables, one stream at a
 * time (DESIGN.md §5): every event of a stream is decoded and diffed once, each projection folds
 * the stream into its final rows, and the rows go in as multi-row inserts. The live tables are
 * untouched until `swap`, which replaces them in one transaction, so readers and writers keep
 * working during the replay and never see a half-built model. Returns the events replayed.
 */
export async function replayIntoShadows(
  db: Db,
  projections: readonly Projection[],
  head: number,
  onEvents?: (done: number) => void,
): Promise<{ replayed: number; swap: (tx: Queryable) => Promise<void>; discard: () => Promise<void> }> {
  for (const p of projections) {
    if (!p.fold) throw new ProjectionError(`projection ${p.name} replays on rebuild but has no fold`, 0);
  }
  const tables = await createShadows(db, projections.flatMap((p) => p.tables));
  const byName = new Map(tables.map((t) => [t.name, t]));
  const discard = () => dropShadows(db);
  let writer: ShadowWriter | undefined;
  try {
    writer = await openShadowWriter(db);
    let replayed = 0;
    let sinceFlush = 0;
    let steps: ReplayStep[] = [];

    const fold = () => {
      if (steps.length === 0) return;
      for (const p of projections) {
        const rows: StreamRows = p.fold!(steps);
        for (const [table, list] of Object.entries(rows)) {
          const t = byName.get(table);
          if (!t) throw new ProjectionError(`projection ${p.name} folded rows for ${table}, a table it does not own`, steps[0]!.event.position);
          for (const row of list) t.pending.push(row);
        }
      }
      sinceFlush += steps.length;
      steps = [];
    };

    let after: [string, number] = ['', 0];
    for (;;) {
      const page = await db.all<StoredFacts>(
        `SELECT ${COLUMNS} FROM events WHERE position <= ? AND (stream, version) > (?, ?) ORDER BY stream, version LIMIT ?`,
        [head, after[0], after[1], REPLAY_READ_PAGE],
      );
      if (page.length === 0) break;
      for (const stored of page) {
        const decoded = decodeFacts(stored);
        if (!decoded.ok) throw new ProjectionError(decoded.message, decoded.position);
        const event = decoded.event;
        const last = steps[steps.length - 1];
        if (last && last.event.stream !== event.stream) fold();
        const prevStep = steps[steps.length - 1];
        if (event.version !== (prevStep ? prevStep.event.version + 1 : 1)) {
          throw new ProjectionError(`${event.stream} v${event.version} follows v${prevStep?.event.version ?? 0}`, event.position);
        }
        const prev = prevStep ? prevStep.event.data.record : null;
        steps.push({ event, ctx: { prev, changes: diff(prev, event.data.record) } });
      }
      replayed += page.length;
      const tail = page[page.length - 1]!;
      after = [tail.stream, tail.version];
      if (sinceFlush >= REPLAY_TRANSACTION_EVENTS) {
        await writer.write(drain(tables, false));
        sinceFlush = 0;
      }
      onEvents?.(replayed);
    }
    fold();
    await writer.write(drain(tables, true));
    await writer.finish();
    writer = undefined;
    return {
      replayed,
      discard,
      async swap(tx) {
        for (const t of tables) {
          await tx.exec(`DROP TABLE ${quote(t.name)}; ALTER TABLE ${quote(t.shadow)} RENAME TO ${quote(t.name)};`);
          for (const sql of t.indexes) await tx.exec(sql);
        }
      },
    };
  } catch (err) {
    await writer?.abort();
    await discard();
    throw err;
  }
}

/** Empty copies of each table, without its indexes (built after the load, which is faster). */
async function createShadows(db: Db, names: readonly string[]): Promise<ShadowTable[]> {
  await dropShadows(db);
  const tables: ShadowTable[] = [];
  const creates: string[] = [];
  for (const name of names) {
    const shadow = `${SHADOW_PREFIX}${name}`;
    const def = await db.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]);
    if (!def) throw new ProjectionError(`table ${name} does not exist; run the migrations first`, 0);
    const indexes = await db.all<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [name]);
    const columns = await db.all(`SELECT name FROM pragma_table_info(?)`, [name]);
    const perStatement = Math.max(1, Math.floor(REPLAY_INSERT_PARAMS / columns.length));
    tables.push({
      name,
      shadow,
      columns: columns.length,
      indexes: indexes.map((i) => i.sql),
      perStatement,
      fullInsert: insertSql(shadow, columns.length, perStatement),
      pending: [],
    });
    // The name goes, the column list and constraints stay: after one rebuild SQLite stores the
    // renamed table's text as `CREATE TABLE "name" (...)`, so the body is cut at its parenthesis.
    const open = def.sql.indexOf('(');
    if (open < 0) throw new ProjectionError(`cannot read the definition of table ${name}`, 0);
    creates.push(`CREATE TABLE ${quote(shadow)} ${def.sql.slice(open)}`);
  }
  await db.transaction(async (tx) => {
    for (const sql of creates) await tx.exec(sql);
  });
  return tables;
}

/** Removes shadow tables a crashed or failed rebuild left behind. */
async function dropShadows(db: Db): Promise<void> {
  const left = await db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'`, [
    `${SHADOW_PREFIX.replace(/_/g, '\\_')}%`,
  ]);
  if (left.length === 0) return;
  await db.transaction(async (tx) => {
    for (const { name } of left) await tx.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
  });
}

/**
 * Takes the buffered rows as multi-row inserts of one fixed size, so a rebuild prepares one
 * statement per table however many rows it writes; rows short of a full statement wait for the
 * next drain, and the final drain sends them in one statement of their own size.
 */
function drain(tables: readonly ShadowTable[], final: boolean): ShadowStatement[] {
  const statements: ShadowStatement[] = [];
  for (const t of tables) {
    let i = 0;
    const take = (rows: number, sql: string) => {
      const params: SqlValue[] = [];
      for (let r = i; r < i + rows; r++) for (const v of t.pending[r]!) params.push(v);
      statements.push({ sql, params });
      i += rows;
    };
    while (i + t.perStatement <= t.pending.length) take(t.perStatement, t.fullInsert);
    const rest = t.pending.length - i;
    if (final && rest > 0) take(rest, insertSql(t.shadow, t.columns, rest));
    t.pending = t.pending.slice(i);
  }
  return statements;
}

function insertSql(table: string, columns: number, rows: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return `INSERT INTO ${quote(table)} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
