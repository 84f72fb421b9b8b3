import { describe, expect, it } from 'vitest';
import { columnNumber, columnText } from './row-values.ts';

describe('columnText', () => {
  const row = { a: '  ELMHURST ', blank: '   ', n: 75, link: { url: 'https://abc.austintexas.gov/x' }, location: { type: 'Point' } };

  it('trims text', () => expect(columnText(row, 'a')).toBe('ELMHURST'));
  it('gives null for a blank value', () => expect(columnText(row, 'blank')).toBeNull());
  it('gives null for an absent column (SODA omits nulls)', () => expect(columnText(row, 'missing')).toBeNull());
  it('gives null when the map has no column', () => expect(columnText(row, null)).toBeNull());
  it('writes a number as text', () => expect(columnText(row, 'n')).toBe('75'));
  it('reads a url object', () => expect(columnText(row, 'link')).toBe('https://abc.austintexas.gov/x'));
  it('gives null for other objects', () => expect(columnText(row, 'location')).toBeNull());
});

describe('columnNumber', () => {
  it.each([
    ['14035.44', 14035.44],
    ['8285917.0', 8285917],
    ['0', 0],
    ['-12.5', -12.5],
  ])('reads %j as %d', (value, expected) => expect(columnNumber({ v: value }, 'v')).toBe(expected));

  it.each(['$36,500.00', '1,000', 'N/A', '', '1e5'])('gives null for %j', (value) => expect(columnNumber({ v: value }, 'v')).toBeNull());
});
