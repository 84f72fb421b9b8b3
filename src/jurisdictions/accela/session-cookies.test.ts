import { describe, expect, it } from 'vitest';
import { cookieHeader } from './session-cookies.ts';

describe('cookieHeader', () => {
  it('replays name=value pairs of joined Set-Cookie headers, attributes dropped', () => {
    const joined =
      'ASP.NET_SessionId=abc123; path=/; HttpOnly; SameSite=Lax, ACA_USER_PREFERRED_CULTURE=en-US; expires=Wed, 21 Oct 2026 07:28:00 GMT; path=/';
    expect(cookieHeader(joined)).toBe('ASP.NET_SessionId=abc123; ACA_USER_PREFERRED_CULTURE=en-US');
  });

  it('is empty without cookies', () => {
    expect(cookieHeader(undefined)).toBe('');
  });
});
