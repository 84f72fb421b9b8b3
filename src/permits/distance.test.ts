import { describe, expect, it } from 'vitest';
import { metersBetween } from './distance.ts';

describe('metersBetween', () => {
  it('is zero at a point and symmetric', () => {
    const p = { lat: 41.99967, lng: -87.9 };
    expect(metersBetween(p, p)).toBe(0);
    expect(metersBetween(p, { lat: 42, lng: -88 })).toBeCloseTo(metersBetween({ lat: 42, lng: -88 }, p), 6);
  });

  it('gives a degree of latitude as 1/360 of the mean great circle (111,195 m)', () => {
    expect(metersBetween({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo((2 * Math.PI * 6_371_008.8) / 360, 3);
  });

  it('gives a degree of longitude at 60° north as half of one at the equator', () => {
    const atEquator = metersBetween({ lat: 0, lng: 10 }, { lat: 0, lng: 11 });
    expect(metersBetween({ lat: 60, lng: 10 }, { lat: 60, lng: 11 }) / atEquator).toBeCloseTo(0.5, 3);
  });
});
