import { describe, expect, it } from 'vitest';
import { innerMap } from './inner-map.ts';

describe('innerMap', () => {
  it('makes the inner map once and returns the same one after', () => {
    const outer = new Map<string, Map<string, number>>();
    const a = innerMap(outer, 'a');
    a.set('x', 1);
    expect(innerMap(outer, 'a')).toBe(a);
    expect(innerMap(outer, 'a').get('x')).toBe(1);
    expect(innerMap(outer, 'b')).not.toBe(a);
    expect([...outer.keys()]).toEqual(['a', 'b']);
  });
});
