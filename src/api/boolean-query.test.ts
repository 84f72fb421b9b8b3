import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { booleanQuery } from './boolean-query.ts';

describe('booleanQuery', () => {
  const q = z.object({ flag: booleanQuery('a flag').optional() });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads %s as %s', (given, expected) => {
    expect(q.parse({ flag: given })).toEqual({ flag: expected });
  });

  it.each(['yes', '', 'truee', '2', 'on'])('refuses %j, naming the accepted words', (given) => {
    const r = q.safeParse({ flag: given });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('expected true, false, 1 or 0');
  });

  it('leaves an absent parameter absent', () => {
    expect(q.parse({})).toEqual({});
  });
});
