import { describe, expect, it } from 'vitest';
import { LADBS_PERMIT_NUMBER_PATTERN, pcisDetailUrl, splitLadbsPermitNumber } from './permit-number.ts';

describe('splitLadbsPermitNumber', () => {
  it('splits a PCIS number into id1/id2/id3, keeping leading zeros', () => {
    expect(splitLadbsPermitNumber('26014-10000-00017')).toEqual({ id1: '26014', id2: '10000', id3: '00017' });
  });

  it('ignores surrounding whitespace', () => {
    expect(splitLadbsPermitNumber(' 16041-10000-23545 ')).toEqual({ id1: '16041', id2: '10000', id3: '23545' });
  });

  it.each(['160411000023545', '16041-10000-2354', '16041-10000-235456', 'B25LA55287', '16041 10000 23545', ''])('rejects %j', (input) => {
    expect(splitLadbsPermitNumber(input)).toBeNull();
  });

  it('agrees with the catalog pattern', () => {
    const pattern = new RegExp(LADBS_PERMIT_NUMBER_PATTERN);
    expect(pattern.test('16041-10000-23545')).toBe(true);
    expect(pattern.test('16041-10000-23545x')).toBe(false);
  });
});

describe('pcisDetailUrl', () => {
  const id = { id1: '16041', id2: '10000', id3: '23545' };

  it('builds the real PCIS detail URL', () => {
    expect(pcisDetailUrl('https://www.ladbsservices2.lacity.org', id)).toBe(
      'https://www.ladbsservices2.lacity.org/OnlineServices/PermitReport/PcisPermitDetail?id1=16041&id2=10000&id3=23545',
    );
  });

  it('keeps the real path and query against an override base, with or without a trailing slash', () => {
    expect(pcisDetailUrl('http://127.0.0.1:4321/', id)).toBe(
      'http://127.0.0.1:4321/OnlineServices/PermitReport/PcisPermitDetail?id1=16041&id2=10000&id3=23545',
    );
  });

  it('keeps a path prefix on the base', () => {
    expect(pcisDetailUrl('http://127.0.0.1:4321/ladbs', id)).toBe(
      'http://127.0.0.1:4321/ladbs/OnlineServices/PermitReport/PcisPermitDetail?id1=16041&id2=10000&id3=23545',
    );
  });
});
