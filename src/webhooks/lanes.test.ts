import { describe, expect, it } from 'vitest';
import { laneKeys, Lanes } from './lanes.ts';

const caps = { subscription: 2, key: 3, origin: 2 };
const lane = (id: string, key: string, url: string) => laneKeys({ id, key_id: key, url });

describe('Lanes', () => {
  it('holds a subscription, a key and an origin to their caps, and frees a slot on leave', () => {
    const lanes = new Lanes(caps);
    const a = lane('s1', 'k1', 'https://slow.example/a');
    lanes.enter(a);
    lanes.enter(a);
    expect(lanes.fits(a)).toBe(false);
    expect(lanes.full()).toEqual({ subscriptions: ['s1'], keys: [], origins: ['https://slow.example'] });
    // Another subscription of the same key at the same origin: the origin is full.
    expect(lanes.fits(lane('s2', 'k1', 'https://slow.example:443/b'))).toBe(false);
    // Same key elsewhere: one more fits the key's cap of 3, then the key is full.
    const c = lane('s3', 'k1', 'https://other.example/c');
    expect(lanes.fits(c)).toBe(true);
    lanes.enter(c);
    expect(lanes.fits(lane('s4', 'k1', 'https://third.example/'))).toBe(false);
    // Another key is untouched by all of it.
    expect(lanes.fits(lane('s5', 'k2', 'https://fast.example/'))).toBe(true);
    lanes.leave(a);
    expect(lanes.fits(a)).toBe(true);
    lanes.leave(a);
    lanes.leave(c);
    expect(lanes.full()).toEqual({ subscriptions: [], keys: [], origins: [] });
  });

  it('names a lane by origin: scheme, host and port, default port folded', () => {
    expect(lane('s', 'k', 'https://h.example:443/x').origin).toBe('https://h.example');
    expect(lane('s', 'k', 'http://127.0.0.1:8080/x').origin).toBe('http://127.0.0.1:8080');
    expect(lane('s', 'k', 'not a url').origin).toBe('not a url');
  });
});
