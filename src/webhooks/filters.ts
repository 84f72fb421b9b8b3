import { metersBetween } from '../permits/distance.ts';
import type { PermitRecord } from '../permits/record.ts';
import type { WebhookEvent } from './events.ts';

/** Within `radius_m` metres of a point (issue 18): only permits whose record has coordinates can match. */
export interface Near {
  lat: number;
  lng: number;
  radius_m: number;
}

/** What a subscription filters on; every filter that is set must match (PermitStack: AND). */
export interface SubscriptionFilters {
  events: readonly WebhookEvent[];
  /** SignedOff's filter: jurisdiction slugs; null or empty matches every jurisdiction. */
  jurisdiction_filter: readonly string[] | null;
  city: string | null;
  state: string | null;
  category: string | null;
  zip_code: string | null;
  /** Unset (absent or null) matches everywhere. */
  near?: Near | null;
}

/** City and state as compared: case- and space-insensitive (also the feed filter index's form). */
export const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * Whether a delivery of `event` about `record` goes to a subscription with these filters.
 * City and state compare case- and space-insensitively (portals write "LOS ANGELES", users
 * "Los Angeles"); a ZIP matches on its first five digits (LADBS writes ZIP+4 in places).
 * A record that lacks a filtered field does not match: a "Los Angeles only" hook must not
 * receive permits whose city the portal left blank, nor a `near` hook permits without coordinates.
 * The one matcher for webhooks and the pull feed.
 */
export function matchesFilters(filters: SubscriptionFilters, event: WebhookEvent, record: PermitRecord): boolean {
  if (!filters.events.includes(event)) return false;
  if (filters.jurisdiction_filter && filters.jurisdiction_filter.length > 0 && !filters.jurisdiction_filter.includes(record.jurisdiction)) {
    return false;
  }
  if (filters.city !== null && (record.address.city === null || fold(record.address.city) !== fold(filters.city))) return false;
  if (filters.state !== null && (record.address.state === null || fold(record.address.state) !== fold(filters.state))) return false;
  if (filters.category !== null && record.category !== filters.category.toLowerCase()) return false;
  if (filters.zip_code !== null && (record.address.zip === null || record.address.zip.slice(0, 5) !== filters.zip_code.slice(0, 5)))
    return false;
  if (filters.near && !isNear(filters.near, record)) return false;
  return true;
}

function isNear(near: Near, record: PermitRecord): boolean {
  if (record.latitude === null || record.longitude === null) return false;
  return metersBetween({ lat: near.lat, lng: near.lng }, { lat: record.latitude, lng: record.longitude }) <= near.radius_m;
}
