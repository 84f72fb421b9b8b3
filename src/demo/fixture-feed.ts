/**
 * A growing SODA dataset for the fixture portal (issue 18): rows are published over time and
 * queries are answered the way SODA answers the ones the Socrata adapter sends (soql.ts):
 * `$where=<column> > '<value>'` (a change feed; `:updated_at` is the row's publication instant),
 * `$where=<column>='<value>'` (a lookup), `$order=:id`, `$limit`, `$offset`. Rows are answered
 * without system fields, as SODA does unless `$select=:*` asks for them
 * (dev.socrata.com/docs/system-fields). Anything else is refused with a 400, never guessed at.
 */
export interface FixtureFeed {
  /** The dataset's resource path, `/resource/<4x4>.json`. */
  path: string;
  /** Every row the dataset will hold, in publication order. */
  rows: readonly Record<string, string>[];
  /** Rows already published when the portal starts, an hour apart up to its start. */
  initial: number;
}

/** SODA's default `$limit` (dev.socrata.com/docs/paging). */
const SODA_DEFAULT_LIMIT = 1000;
const HOUR_MS = 60 * 60 * 1000;
const GREATER = /^(\S+) > '((?:[^']|'')*)'$/;
const EQUALS = /^(\S+)='((?:[^']|'')*)'$/;

interface Published {
  row: Record<string, string>;
  id: number;
  updatedAt: number;
}

export interface FeedAnswer {
  status: number;
  body: string;
}

export interface FixtureFeeds {
  /** The answer to a GET at a feed's path; undefined for any other path. */
  answer(url: URL): FeedAnswer | undefined;
  /** Publishes the feed's next `count` rows, stamped now. Returns how many it holds now. */
  publish(path: string, count: number): number;
}

export function createFixtureFeeds(feeds: readonly FixtureFeed[], now: () => number = Date.now): FixtureFeeds {
  const started = now();
  const state = new Map(
    feeds.map((f) => [
      f.path.toLowerCase(),
      { feed: f, published: f.rows.slice(0, f.initial).map((row, i): Published => ({ row, id: i + 1, updatedAt: started - (f.initial - i) * HOUR_MS })) },
    ]),
  );

  function publish(path: string, count: number): number {
    const s = state.get(path.toLowerCase());
    if (!s) throw new Error(`no fixture feed at ${path}`);
    const at = now();
    for (const row of s.feed.rows.slice(s.published.length, s.published.length + count)) {
      s.published.push({ row, id: s.published.length + 1, updatedAt: at });
    }
    return s.published.length;
  }

  function answer(url: URL): FeedAnswer | undefined {
    const s = state.get(url.pathname.toLowerCase());
    if (!s) return undefined;
    const where = url.searchParams.get('$where') ?? '';
    const order = url.searchParams.get('$order') ?? ':id';
    const limit = Number(url.searchParams.get('$limit') ?? SODA_DEFAULT_LIMIT);
    const offset = Number(url.searchParams.get('$offset') ?? 0);
    const test = predicate(where);
    if (!test || order !== ':id' || !Number.isInteger(limit) || !Number.isInteger(offset) || limit < 0 || offset < 0) {
      return { status: 400, body: JSON.stringify({ error: true, message: `fixture portal: unsupported query ${url.search}` }) };
    }
    const rows = s.published.filter(test).slice(offset, offset + limit).map((p) => p.row);
    return { status: 200, body: JSON.stringify(rows) };
  }

  return { answer, publish };
}

/** The row test of a `$where` the adapter sends, or undefined for any other. */
function predicate(where: string): ((p: Published) => boolean) | undefined {
  const greater = GREATER.exec(where);
  if (greater) {
    const [, column, literal] = greater as unknown as [string, string, string];
    const value = literal.replace(/''/g, "'");
    if (column === ':updated_at') {
      const after = Date.parse(value);
      return Number.isNaN(after) ? undefined : (p) => p.updatedAt > after;
    }
    // A floating timestamp compares as its ISO text.
    return (p) => p.row[column] !== undefined && p.row[column]! > value;
  }
  const equals = EQUALS.exec(where);
  if (equals) {
    const [, column, literal] = equals as unknown as [string, string, string];
    const value = literal.replace(/''/g, "'");
    return (p) => p.row[column] === value;
  }
  return undefined;
}
