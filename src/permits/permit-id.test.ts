import { describe, expect, it } from 'vitest';
import { permitId } from './permit-id.ts';

describe('permitId', () => {
  // Computed outside the code under test, by Python's uuid module:
  //   python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('5b0f3a1e-7c2d-4e8f-9a6b-1c3d5e7f9a2b'), 'permit/socrata:sf/202603238106'))"
  it('is the RFC 9562 version 5 UUID of the stream', () => {
    expect(permitId('permit/socrata:sf/202603238106')).toBe('1c061772-4b96-5b42-84ea-8b284becbe90');
  });

  it('is stable and differs per stream', () => {
    expect(permitId('permit/ladbs/1')).toBe(permitId('permit/ladbs/1'));
    expect(permitId('permit/ladbs/1')).not.toBe(permitId('permit/ladbs/2'));
    expect(permitId('permit/ladbs/1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
