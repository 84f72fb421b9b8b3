import { NEAR_RADIUS_MAX_M } from '../api/routes/webhooks.ts';
import { CliError, EXIT_USAGE } from './context.ts';

/** A webhook's `near` filter as its body takes it (POST /api/v1/webhooks). */
export interface NearFilter {
  lat: number;
  lng: number;
  radius_m: number;
}

// Plain decimal numbers only: Number() would also take "", "0x1f", "1e3" and " 5 ".
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/**
 * `--near lat,lng,radius_m` (`41.99,-87.69,500`) as the body's `near`, checked as the server
 * checks it (routes/webhooks.ts Filters.near) so a typo fails here with the flag's name, before
 * any request: exit 2 with what was wrong.
 */
export function parseNearOption(value: string): NearFilter {
  const parts = value.split(',').map((s) => s.trim());
  const usage = `--near expects lat,lng,radius_m (e.g. 41.9997,-87.6900,500), got "${value}"`;
  if (parts.length !== 3 || !parts.every((p) => DECIMAL.test(p))) throw new CliError(usage, EXIT_USAGE);
  const [lat, lng, radius_m] = parts.map(Number) as [number, number, number];
  if (Math.abs(lat) > 90) throw new CliError(`--near: latitude ${lat} is outside -90..90`, EXIT_USAGE);
  if (Math.abs(lng) > 180) throw new CliError(`--near: longitude ${lng} is outside -180..180`, EXIT_USAGE);
  if (!(radius_m > 0) || radius_m > NEAR_RADIUS_MAX_M) {
    throw new CliError(`--near: radius_m ${radius_m} must be more than 0 and at most ${NEAR_RADIUS_MAX_M} metres`, EXIT_USAGE);
  }
  return { lat, lng, radius_m };
}
