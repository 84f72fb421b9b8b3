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

  it('do not match a permit that lacks the filtered field', () => {
    const blank = testRecord({ address: { city: null, zip: null } });
    expect(matchesFilters({ ...none, city: 'Los Angeles' }, 'permit.created', blank)).toBe(false);
    expect(matchesFilters({ ...none, zip_code: '90034' }, 'permit.created', blank)).toBe(false);
  });
});
