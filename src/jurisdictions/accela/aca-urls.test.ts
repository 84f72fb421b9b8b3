import { describe, expect, it } from 'vitest';
import { capDetailUrl, capHomeUrl, capIdFromUrl } from './aca-urls.ts';

const OSCEOLA = { agency_code: 'OSCEOLA', path: '/CitizenAccess', module: 'Building' };
const MERIDIAN = { agency_code: 'MERIDIAN', path: '/MERIDIAN', module: 'Dev-Services', home_tab: 'Home' };

describe('ACA URLs', () => {
  it('CapHome as in the Boise and Meridian captures (manifest finalUrl)', () => {
    expect(capHomeUrl('https://aca-prod.accela.com', MERIDIAN)).toBe(
      'https://aca-prod.accela.com/MERIDIAN/Cap/CapHome.aspx?module=Dev-Services&TabName=Home',
    );
  });

  it('CapDetail exactly as the Osceola grid links it, on an override base', () => {
    expect(capDetailUrl('http://127.0.0.1:4000/', OSCEOLA, { capID1: 'REC26', capID2: '00000', capID3: '00U45' })).toBe(
      'http://127.0.0.1:4000/CitizenAccess/Cap/CapDetail.aspx?Module=Building&TabName=Building&capID1=REC26&capID2=00000&capID3=00U45&agencyCode=OSCEOLA&IsToShowInspection=',
    );
  });

  it('reads capIDs from real links: root-relative with &amp;, absolute (Meridian manifest)', () => {
    expect(
      capIdFromUrl(
        '/CitizenAccess/Cap/CapDetail.aspx?Module=Building&amp;TabName=Building&amp;capID1=REC26&amp;capID2=00000&amp;capID3=00U4X',
      ),
    ).toEqual({
      capID1: 'REC26',
      capID2: '00000',
      capID3: '00U4X',
    });
    expect(
      capIdFromUrl(
        'https://aca-prod.accela.com/MERIDIAN/Cap/CapDetail.aspx?Module=Dev-Services&TabName=Dev-Services&capID1=26CAP&capID2=00000&capID3=00BJB&agencyCode=MERIDIAN&IsToShowInspection=',
      ),
    ).toEqual({ capID1: '26CAP', capID2: '00000', capID3: '00BJB' });
  });

  it('is null for other pages (error page, CapHome)', () => {
    expect(capIdFromUrl('https://aca-prod.accela.com/DALLASTX/Error.aspx?ErrorId=abc')).toBeNull();
    expect(capIdFromUrl('/HCFL/Cap/CapHome.aspx?module=Building')).toBeNull();
  });
});
