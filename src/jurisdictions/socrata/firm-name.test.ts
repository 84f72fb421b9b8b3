import { describe, expect, it } from 'vitest';
import { isFirmName } from './firm-name.ts';

describe('isFirmName', () => {
  // every contact name of the real Chicago 100858762 row (fixtures/socrata/)
  it.each([
    'GROOT INDUSTRIES, INC.',
    'CONNELLY ELECTRIC CO.',
    'BURNHAM NATIONWIDE, INC.',
    'MORGAN HARBOUR CONSTRUCTION, LLC',
    'II IN ONE CONTRACTORS, INC.',
    'ROSEMONT MASONRY CORP.',
    'MVP PLUMBING CORP',
    'SUN MECHANICAL SYSTEMS, INC',
  ])('%j is a firm', (name) => expect(isFirmName(name)).toBe(true));

  it.each(['HARRIS KELLY P', 'Guido Macouzet', 'COOPER JOHN', 'INCE MARY'])('%j is a person', (name) =>
    expect(isFirmName(name)).toBe(false),
  );

  it.each(['ACME BUILDERS L.L.C.', 'Smith & Co', 'CITY OF CHICAGO', 'Board of Education', 'FIRST MIDWEST BANK'])('%j is a firm', (name) =>
    expect(isFirmName(name)).toBe(true),
  );
});
