import { describe, expect, it } from 'vitest';
import { usDateToIso } from './us-date.ts';

describe('usDateToIso', () => {
  it.each([
    ['7/6/2016', '2016-07-06'],
    ['8/8/2018', '2018-08-08'],
    ['03/06/2026', '2026-03-06'],
    ['09/16/2026', '2026-09-16'],
    ['12/31/1999', '1999-12-31'],
    [' 2/29/2024 ', '2024-02-29'],
  ])('reads %j as %s', (text, iso) => {
    expect(usDateToIso(text)).toBe(iso);
  });

  it.each(['2/30/2026', '2/29/2025', '13/1/2020', '0/1/2020', '2026-03-06', '7/6/16', 'No', 'TBD', 'Date', '', null, undefined])('rejects %j', (text) => {
    expect(usDateToIso(text)).toBeNull();
  });
});
