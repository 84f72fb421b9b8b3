import { describe, expect, it } from 'vitest';
import { nameUuid } from './name-uuid.ts';

/** The DNS namespace of RFC 9562 Appendix A. */
const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('nameUuid (UUID v5)', () => {
  it('gives the RFC 9562 test vector (Appendix A.4: "www.example.com" in the DNS namespace)', () => {
    expect(nameUuid(NAMESPACE_DNS, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is stable per name and differs between names', () => {
    expect(nameUuid(NAMESPACE_DNS, 'permit/ladbs/1')).toBe(nameUuid(NAMESPACE_DNS, 'permit/ladbs/1'));
    expect(nameUuid(NAMESPACE_DNS, 'permit/ladbs/1')).not.toBe(nameUuid(NAMESPACE_DNS, 'permit/ladbs/2'));
  });
});
