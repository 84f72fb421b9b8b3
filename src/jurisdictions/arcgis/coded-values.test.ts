import { describe, expect, it } from 'vitest';
import { decodeAttribute, domainsFor } from './coded-values.ts';
import type { EsriField } from './query-response.ts';

// Codes and names of a real coded-value domain: PT_TYPE on Thornton, CO's Permits MapServer
// layer 0 ("[CA: Common Area (No PIN)] , [CHURCH: Church] , [COMM: Commercial]", REST Services
// Directory page in the search tool's pages corpus). None of the captured permit layers shows a
// domain, so this is the nearest real one.
const PT_TYPE = [
  { name: 'Common Area (No PIN)', code: 'CA' },
  { name: 'Church', code: 'CHURCH' },
  { name: 'Commercial', code: 'COMM' },
];

const field = (name: string, codedValues?: { name: string; code: string | number }[]): EsriField => ({
  name,
  type: 'esriFieldTypeString',
  domain: codedValues ? { type: 'codedValue', codedValues } : null,
});

describe('coded-value domains', () => {
  it('decodes a code to its name from the response domain', () => {
    const domains = domainsFor([field('PT_TYPE', PT_TYPE)], {});
    expect(decodeAttribute(domains, 'PT_TYPE', 'COMM')).toBe('Commercial');
  });

  it('falls back to the layer settings copy when the response has no domain', () => {
    const domains = domainsFor([field('PT_TYPE')], { PT_TYPE });
    expect(decodeAttribute(domains, 'PT_TYPE', 'CHURCH')).toBe('Church');
  });

  it('prefers the response domain over the settings copy', () => {
    const domains = domainsFor([field('PT_TYPE', [{ name: 'Commercial (current)', code: 'COMM' }])], { PT_TYPE });
    expect(decodeAttribute(domains, 'PT_TYPE', 'COMM')).toBe('Commercial (current)');
  });

  it('matches integer codes to integer attributes', () => {
    const domains = domainsFor([field('STATUS', [{ name: 'Issued', code: 2 }])], {});
    expect(decodeAttribute(domains, 'STATUS', 2)).toBe('Issued');
  });

  it('leaves a code the domain does not list, a field without a domain, and null as they are', () => {
    const domains = domainsFor([field('PT_TYPE', PT_TYPE), field('OTHER')], {});
    expect(decodeAttribute(domains, 'PT_TYPE', 'IND')).toBe('IND');
    expect(decodeAttribute(domains, 'OTHER', 'COMM')).toBe('COMM');
    expect(decodeAttribute(domains, 'PT_TYPE', null)).toBeNull();
  });

  it('ignores a range domain', () => {
    const domains = domainsFor([{ name: 'SqFt', type: 'esriFieldTypeInteger', domain: { type: 'range' } }], {});
    expect(decodeAttribute(domains, 'SqFt', 1200)).toBe(1200);
  });
});
