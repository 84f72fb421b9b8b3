import { describe, expect, it } from 'vitest';
import { testRecord } from '../testing/test-record.ts';
import { matchesFilters, type SubscriptionFilters } from './filters.ts';

const none: SubscriptionFilters = {
  events: ['permit.created'],
  jurisdiction_filter: null,
  city: null,
  state: null,
  category: null,
  zip_code: null,
};
const la = testRecord({ category: 'solar', address: { city: 'LOS ANGELES', state: 'CA', zip: '90034-1234' } });

describe('subscription filters', () => {
  it('match any permit when none is set, but only the subscribed events', () => {
    expect(matchesFilters(none, 'permit.created', la)).toBe(true);
    expect(matchesFilters(none, 'status_change', la)).toBe(false);
  });

  it('combine with AND (PermitStack): every set filter must match', () => {
    const f = { ...none, city: 'Los Angeles', state: 'ca', category: 'solar', zip_code: '90034' };
    expect(matchesFilters(f, 'permit.created', la)).toBe(true);
    expect(matchesFilters({ ...f, category: 'hvac' }, 'permit.created', la)).toBe(false);
    expect(matchesFilters({ ...f, city: 'Pasadena' }, 'permit.created', la)).toBe(false);
    expect(matchesFilters({ ...f, state: 'AZ' }, 'permit.created', la)).toBe(false);
    expect(matchesFilters({ ...f, zip_code: '90026' }, 'permit.created', la)).toBe(false);
  });

  it('filter on jurisdiction slugs (SignedOff); an empty list matches all', () => {
    expect(matchesFilters({ ...none, jurisdiction_filter: ['ladbs'] }, 'permit.created', la)).toBe(true);
    expect(matchesFilters({ ...none, jurisdiction_filter: ['aca:boise'] }, 'permit.created', la)).toBe(false);
    expect(matchesFilters({ ...none, jurisdiction_filter: [] }, 'permit.created', la)).toBe(true);
  });

  it('near: within radius_m metres of the point, measured to the permit\'s coordinates', () => {
    // 3030 S Midvale Ave, Los Angeles, and a point 1 km due north of it (1 km = 0.008993° of latitude).
    const site = testRecord({ latitude: 34.0303, longitude: -118.4202 });
    const near = (radius_m: number) => ({ ...none, near: { lat: 34.0303 + 0.008993, lng: -118.4202, radius_m } });
    expect(matchesFilters(near(1_010), 'permit.created', site)).toBe(true);
    expect(matchesFilters(near(990), 'permit.created', site)).toBe(false);
    expect(matchesFilters({ ...none, near: null }, 'permit.created', site)).toBe(true);
    // A permit without coordinates is not near anything.
    expect(matchesFilters(near(50_000), 'permit.created', testRecord({ latitude: null, longitude: null }))).toBe(false);
  });

  it('do not match a permit that lacks the filtered field', () => {
    const blank = testRecord({ address: { city: null, zip: null } });
    expect(matchesFilters({ ...none, city: 'Los Angeles' }, 'permit.created', blank)).toBe(false);
    expect(matchesFilters({ ...none, zip_code: '90034' }, 'permit.created', blank)).toBe(false);
  });
});
