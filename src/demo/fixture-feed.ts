import { answerArcgisQuery, type ArcgisFixtureFeed } from './fixture-arcgis-feed.ts';

/**
 * Growing datasets for the fixture portal (issue 18): a SODA dataset (here) or an ArcGIS layer
 * (fixture-arcgis-feed.ts), whose rows are published over time. A SODA dataset answers queries
 * the way SODA answers the ones the Socrata adapter sends (soql.ts):
 * `$where=<column> > '<value>'` (a change feed; `:updated_at` is the row's publication instant),
 * `$where=<column>='<value>'` (a lookup), `$order=:id`, `$limit`, `$offset`. Rows are answered
 * without system fields, as SODA does unless `$select=:*` asks for them
 * (dev.socrata.com/docs/system-fields). Anything else is refused with a 400, never guessed at.
 */
export type FixtureFeed = SodaFixtureFeed | ArcgisFixtureFeed;

export interface SodaFixtureFeed {
  kind?: 'soda';
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

interface Published<Row = Record<string, string>> {
  row: Row;
  id: number;
  updatedAt: number;
}

/** A feed's rows, built once, and those published so far. */
type FeedState =
  | { feed: SodaFixtureFeed; rows: readonly Record<string, string>[]; published: Published[] }
  | { feed: ArcgisFixtureFeed; rows: ArcgisFixtureFeed['rows']; published: Published<ArcgisFixtureFeed['rows'][number]>[] };

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
  const stamped = <Row>(rows: readonly Row[], initial: number): Published<Row>[] =>
    rows.slice(0, initial).map((row, i) => ({ row, id: i + 1, updatedAt: started - (initial - i) * HOUR_MS }));
  const state = new Map<string, FeedState>(
    // Rows are read once: a feed's `rows` may be a getter that builds them.
    feeds.map((f): [string, FeedState] => {
      const rows: readonly unknown[] = f.rows;
      return [f.path.toLowerCase(), { feed: f, rows, published: stamped(rows, f.initial) } as FeedState];
    }),
  );

  function publish(path: string, count: number): number {
    const s = state.get(path.toLowerCase());
    if (!s) throw new Error(`no fixture feed at ${path}`);
    const at = now();
    const published: Published<unknown>[] = s.published;
    for (const row of s.rows.slice(published.length, published.length + count)) {
      published.push({ row, id: published.length + 1, updatedAt: at });
    }
    return published.length;
  }

  function answer(url: URL): FeedAnswer | undefined {
    const s = state.get(url.pathname.toLowerCase());
    if (!s) return undefined;
    if (s.feed.kind === 'arcgis') return answerArcgisQuery(s.feed, s.published as Published<ArcgisFixtureFeed['rows'][number]>[], url);
    return answerSoda(s.published as Published[], url);
  }

  return { answer, publish };
}

/** A SODA query of the rows published so far (the queries the Socrata adapter sends). */
function answerSoda(published: readonly Published[], url: URL): FeedAnswer {
  const where = url.searchParams.get('$where') ?? '';
  const order = url.searchParams.get('$order') ?? ':id';
  const limit = Number(url.searchParams.get('$limit') ?? SODA_DEFAULT_LIMIT);
  const offset = Number(url.searchParams.get('$offset') ?? 0);
  const test = predicate(where);
  if (!test || order !== ':id' || !Number.isInteger(limit) || !Number.isInteger(offset) || limit < 0 || offset < 0) {
    return { status: 400, body: JSON.stringify({ error: true, message: `fixture portal: unsupported query ${url.search}` }) };
  }
  const rows = published
    .filter(test)
    .slice(offset, offset + limit)
    .map((p) => p.row);
  return { status: 200, body: JSON.stringify(rows) };
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
