/**
 * A growing ArcGIS layer for the fixture portal (issue 18), answered at the layer's real
 * `.../FeatureServer|MapServer/<n>/query` path the way a layer answers the queries the ArcGIS
 * adapter sends (src/jurisdictions/arcgis/query-url.ts): `where` of ORed `<date field> > TIMESTAMP
 * '<UTC wall clock>'` clauses (a change feed) or `<field> = '<value>'` (a lookup), `outFields=*`,
 * `orderByFields=<object id> ASC`, `resultOffset`/`resultRecordCount` capped at the layer's
 * MaxRecordCount with `exceededTransferLimit` while rows remain (Query (Map Service/Layer) help),
 * `returnGeometry` and `outSR` (4326, or the layer's own Web Mercator when none is asked), `f=json`.
 * Errors come as ArcGIS sends them: HTTP 200 with an `error` body. Anything else is refused so,
 * never guessed at. Times here are UTC: the feed is for layers without a dateFieldsTimeReference.
 */

/** A feature as a query answers it: attributes, and its WGS 84 point when the layer has one. */
export interface ArcgisFixtureFeature {
  attributes: Record<string, string | number | null>;
  /** Degrees; answered as asked (outSR 4326) or projected to the layer's Web Mercator. */
  point?: { lng: number; lat: number };
}

export interface ArcgisFixtureFeed {
  kind: 'arcgis';
  /** The layer's query path, `/.../MapServer/0/query`. */
  path: string;
  /** The answer's header as the layer writes it: fields, fieldAliases, geometryType, spatialReference... */
  header: Record<string, unknown>;
  /** Every feature the layer will hold, in publication order. */
  rows: readonly ArcgisFixtureFeature[];
  /** Features already published when the portal starts, an hour apart up to its start. */
  initial: number;
  /** The date field a publication stamps with its instant (epoch ms), as an edit sets it on a real layer. */
  stampField: string;
  objectIdField: string;
  /** The layer's MaxRecordCount: no answer holds more features. */
  maxRecordCount: number;
}

export interface PublishedFeature {
  row: ArcgisFixtureFeature;
  updatedAt: number;
}

const AFTER = /^(\w+) > TIMESTAMP '(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)'$/;
const EQUALS = /^(\w+) = (?:'((?:[^']|'')*)'|(-?\d+))$/;
/** Web Mercator's sphere (EPSG:3857): x = R·λ, y = R·ln tan(π/4 + φ/2). */
const WEB_MERCATOR_RADIUS_M = 6_378_137;
const WGS84 = 4326;

export interface ArcgisAnswer {
  status: number;
  body: string;
}

/** The answer of the layer, holding `published`, to a GET of `url`. */
export function answerArcgisQuery(feed: ArcgisFixtureFeed, published: readonly PublishedFeature[], url: URL): ArcgisAnswer {
  const q = url.searchParams;
  const test = predicate(feed, q.get('where') ?? '');
  const offset = Number(q.get('resultOffset') ?? 0);
  const asked = Number(q.get('resultRecordCount') ?? feed.maxRecordCount);
  const geometry = q.get('returnGeometry') !== 'false';
  const outSR = q.get('outSR');
  if (!test) return error(`unsupported where ${q.get('where')}`);
  const problem = refusal(feed, q, offset, asked);
  if (problem) return error(problem);
  const matching = published.filter(test);
  const count = Math.min(asked, feed.maxRecordCount);
  const page = matching.slice(offset, offset + count);
  const wgs84 = outSR === String(WGS84);
  const body = {
    ...feed.header,
    ...(geometry && wgs84 ? { spatialReference: { wkid: WGS84, latestWkid: WGS84 } } : {}),
    features: page.map(({ row, updatedAt }) => ({
      attributes: { ...row.attributes, [feed.stampField]: updatedAt },
      ...(geometry && row.point ? { geometry: wgs84 ? { x: row.point.lng, y: row.point.lat } : webMercator(row.point) } : {}),
    })),
    ...(offset + page.length < matching.length ? { exceededTransferLimit: true } : {}),
  };
  return { status: 200, body: JSON.stringify(body) };
}

/** Why the layer would not answer these parameters (besides `where`), if it would not. */
function refusal(feed: ArcgisFixtureFeed, q: URLSearchParams, offset: number, asked: number): string | undefined {
  if (q.get('f') !== 'json' || q.get('outFields') !== '*') return 'only f=json with outFields=* is answered';
  const order = `${feed.objectIdField} ASC`;
  if ((q.get('orderByFields') ?? order) !== order) return `only orderByFields=${order} is answered`;
  if (!Number.isInteger(offset) || !Number.isInteger(asked) || offset < 0 || asked < 1)
    return 'resultOffset and resultRecordCount must be whole numbers';
  const outSR = q.get('outSR');
  if (outSR !== null && outSR !== String(WGS84)) return `only outSR=${WGS84} is answered`;
  return undefined;
}

/** An ArcGIS query failure: HTTP 200, the error in the body (fixtures/arcgis/PROVENANCE.md). */
function error(detail: string): ArcgisAnswer {
  return {
    status: 200,
    body: JSON.stringify({ error: { code: 400, message: 'Unable to complete operation.', details: [`fixture portal: ${detail}`] } }),
  };
}

function webMercator(p: { lng: number; lat: number }) {
  const rad = Math.PI / 180;
  return { x: WEB_MERCATOR_RADIUS_M * p.lng * rad, y: WEB_MERCATOR_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + (p.lat * rad) / 2)) };
}

/** The row test of a where clause the adapter sends, or undefined for any other. */
function predicate(feed: ArcgisFixtureFeed, where: string): ((p: PublishedFeature) => boolean) | undefined {
  const equals = EQUALS.exec(where);
  if (equals) {
    const [, field, text, number] = equals as unknown as [string, string, string | undefined, string | undefined];
    const value = text !== undefined ? text.replace(/''/g, "'") : Number(number);
    return (p) => p.row.attributes[field] === value;
  }
  const clauses = where.split(' OR ').map((c) => AFTER.exec(c));
  if (clauses.length === 0 || clauses.some((c) => c === null)) return undefined;
  const tests = clauses.map((c) => {
    const [, field, stamp] = c as unknown as [string, string, string];
    const after = Date.parse(`${stamp.replace(' ', 'T')}Z`);
    return (p: PublishedFeature) => {
      const value = field === feed.stampField ? p.updatedAt : p.row.attributes[field];
      return typeof value === 'number' && value > after;
    };
  });
  return (p) => tests.some((t) => t(p));
}
