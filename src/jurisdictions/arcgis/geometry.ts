import { z } from 'zod';
import { checkedCoordinates, NO_COORDINATES, type Coordinates } from '../../permits/coordinates.ts';

/**
 * Positions from an ArcGIS query's point geometry. The adapter asks for `outSR=4326` (WGS 84) on a
 * point layer (query-url.ts), so a feature's `geometry` is `{ "x": <longitude>, "y": <latitude> }`
 * ("Geometry objects", resources.arcgis.com/en/help/sds/rest/geometry.html: "A point contains x and
 * y fields along with a spatialReference field"; x is the longitude in its `{"x": -118.15, "y":
 * 33.80, "spatialReference": {"wkid": 4326}}` example).
 */

/** WGS 84's well-known id: the only reference whose x and y are longitude and latitude in degrees. */
export const WGS84_WKID = 4326;
const POINT_TYPE = 'esriGeometryPoint';

/** A spatial reference object: `{"wkid": 4326, "latestWkid": 4326}`, or a `wkt` one (never read as WGS 84). */
export const SpatialReference = z.object({ wkid: z.number().optional(), latestWkid: z.number().optional() }).passthrough();
export type SpatialReference = z.infer<typeof SpatialReference>;

/** What of a feature set's header the position depends on. */
export interface GeometryHeader {
  geometryType?: string | undefined;
  spatialReference?: SpatialReference | undefined;
}

const isWgs84 = (sr: SpatialReference | undefined) => sr !== undefined && (sr.wkid === WGS84_WKID || sr.latestWkid === WGS84_WKID);

/**
 * A feature's WGS 84 position, or no position. The feature's own `spatialReference` wins over the
 * feature set's, and one that is not WGS 84 (a server that ignored `outSR` and answered in the
 * layer's own 102100 metres) or none at all ("the spatial reference will be
 * UnknownCoordinateSystem", featureSet object) gives no position: never a point read in the wrong
 * units. An empty point (`"x": null` or `"x": "NaN"`, geometry objects), a geometry of another
 * type, numbers that are not finite or off the globe, and (0, 0) give none either.
 */
export function pointCoordinates(header: GeometryHeader, geometry: unknown): Coordinates {
  if (header.geometryType !== undefined && header.geometryType !== POINT_TYPE) return NO_COORDINATES;
  if (typeof geometry !== 'object' || geometry === null) return NO_COORDINATES;
  const point = geometry as { x?: unknown; y?: unknown; spatialReference?: unknown };
  const own = point.spatialReference === undefined ? undefined : SpatialReference.safeParse(point.spatialReference);
  if (own !== undefined && !own.success) return NO_COORDINATES;
  if (!isWgs84(own?.data ?? header.spatialReference)) return NO_COORDINATES;
  if (typeof point.x !== 'number' || typeof point.y !== 'number') return NO_COORDINATES;
  return checkedCoordinates(point.y, point.x);
}
