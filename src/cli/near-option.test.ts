import { describe, expect, it } from 'vitest';
import { CliError, EXIT_USAGE } from './context.ts';
import { parseNearOption } from './near-option.ts';

function refusal(value: string): CliError {
  try {
    parseNearOption(value);
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error(`"${value}" was accepted`);
}

describe('--near lat,lng,radius_m', () => {
  it('reads the three numbers, spaces around commas allowed', () => {
    expect(parseNearOption('41.999670854,-87.69,500')).toEqual({ lat: 41.999670854, lng: -87.69, radius_m: 500 });
    expect(parseNearOption(' 30.1664 , -97.8266 , 2500.5 ')).toEqual({ lat: 30.1664, lng: -97.8266, radius_m: 2500.5 });
  });

  it('refuses what is not three decimal numbers, naming the expected form', () => {
    for (const bad of ['41.99,-87.69', '41.99,-87.69,500,1', '41.99,,500', 'a,b,c', '0x1f,-87,500', '41.99,-87.69,1e3', '']) {
      const err = refusal(bad);
      expect(err.exitCode).toBe(EXIT_USAGE);
      expect(err.message).toMatch(/--near expects lat,lng,radius_m/);
    }
  });

  it('refuses a point off the globe and a radius out of 0..100000 m', () => {
    expect(refusal('91,-87.69,500').message).toMatch(/latitude 91 is outside -90\.\.90/);
    expect(refusal('41.99,-180.5,500').message).toMatch(/longitude -180.5 is outside -180\.\.180/);
    expect(refusal('41.99,-87.69,0').message).toMatch(/radius_m 0 must be more than 0 and at most 100000/);
    expect(refusal('41.99,-87.69,100001').message).toMatch(/at most 100000/);
    expect(parseNearOption('-90,180,100000')).toEqual({ lat: -90, lng: 180, radius_m: 100000 });
  });
});
