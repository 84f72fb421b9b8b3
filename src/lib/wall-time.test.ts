import { describe, expect, it } from 'vitest';
import { wallTime } from './wall-time.ts';

describe('wallTime', () => {
  it('gives the date and time in the zone', () =>
    expect(wallTime(new Date('2024-04-23T01:30:00Z'), 'America/Los_Angeles')).toEqual({ date: '2024-04-22', time: '18:30:00' }));
  it('writes midnight as 00:00:00', () => expect(wallTime(new Date('2024-05-02T00:00:00Z'), 'UTC')).toEqual({ date: '2024-05-02', time: '00:00:00' }));
});
