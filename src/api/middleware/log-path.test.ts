import { describe, expect, it } from 'vitest';
import { loggablePath } from './log-path.ts';

describe('loggablePath', () => {
  it('keeps a path without a query as it is', () => {
    expect(loggablePath('http://127.0.0.1:8080/api/v1/permits/16041-10000-23545/status')).toBe('/api/v1/permits/16041-10000-23545/status');
  });

  it('redacts the values of credential-like parameters and keeps the rest', () => {
    expect(loggablePath('http://h/api/v1/x?jurisdiction=ladbs&api_key=sk_live_abc&token=t0k&force_refresh=true')).toBe(
      '/api/v1/x?jurisdiction=ladbs&api_key=[redacted]&token=[redacted]&force_refresh=true',
    );
    expect(loggablePath('http://h/x?Access%5FToken=abc&X-Api-Key=k&secret&password=p')).toBe(
      '/x?Access%5FToken=[redacted]&X-Api-Key=[redacted]&secret=[redacted]&password=[redacted]',
    );
  });

  it('survives malformed escapes', () => {
    expect(loggablePath('http://h/x?%ZZtoken=1&a=%ZZ')).toBe('/x?%ZZtoken=[redacted]&a=%ZZ');
  });
});
