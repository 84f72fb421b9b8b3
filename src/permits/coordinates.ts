import type { PermitRecord } from './record.ts';

/** A permit site's WGS 84 position as the record holds it: both numbers, or both null. */
export type Coordinates = Pick<PermitRecord, 'latitude' | 'longitude'>;

export const NO_COORDINATES: Coordinates = { latitude: null, longitude: null };

/**
 * The pair when both are finite and in range, else no position at all. (0, 0) is refused too: it
 * is in the Gulf of Guinea, and datasets write it for "not geocoded", never for a US permit.
 */
export function checkedCoordinates(latitude: number | null, longitude: number | null): Coordinates {
  if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return NO_COORDINATES;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return NO_COORDINATES;
  if (latitude === 0 && longitude === 0) return NO_COORDINATES;
  return { latitude, longitude };
}
