import { describe, expect, it } from 'vitest';
import { assertUnreachable } from './assert-unreachable.ts';

describe('assertUnreachable', () => {
  it('throws naming the value that escaped the switch', () => {
    expect(() => assertUnreachable('surprise' as never, 'change kind')).toThrow('Unhandled change kind: "surprise"');
  });
});
