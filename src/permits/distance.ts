/** A point as a filter names it (WGS 84 degrees). */
export interface LatLng {
  lat: number;
  lng: number;
}

/** The IUGG mean Earth radius (R1 = 6,371,008.8 m): the haversine's sphere. */
export const EARTH_MEAN_RADIUS_M = 6_371_008.8;

const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * Great-circle distance in metres by the haversine formula on the mean sphere. Off from the
 * ellipsoid by at most about 0.5 %, which no "within r metres of a site" filter can tell.
 */
export function metersBetween(a: LatLng, b: LatLng): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_MEAN_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
