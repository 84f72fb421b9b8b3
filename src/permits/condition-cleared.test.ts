import { describe, expect, it } from 'vitest';
import { isConditionCleared } from './condition-cleared.ts';

describe('isConditionCleared', () => {
  it.each([
    ['Cleared', true],
    ['  cleared ', true],
    ['Condition Met', true],
    ['Condition  Met', false],
    ['Not Cleared', false],
    ['Applied', false],
    ['', false],
    [null, false],
  ] as const)('%j → %s', (status, cleared) => {
    expect(isConditionCleared(status)).toBe(cleared);
  });
});
