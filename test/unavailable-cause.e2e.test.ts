import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedLoopbackPort, startHarness, type Harness } from './harness.ts';

// Issue 21: a 503 jurisdiction_unavailable names its cause class, as a field and in the message.
describe('jurisdiction_unavailable names its cause', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    const port = await closedLoopbackPort();
    h = await startHarness({ overrides: () => `*=http://127.0.0.1:${port}` });
    key = await h.key('developer');
  });
  afterAll(() => h.close());

  it('connection_refused when nothing listens at the portal, then breaker_open once it failed repeatedly', async () => {
    const first = await h.get('/api/v1/permits/16041-10000-23545/status', key);
    expect(first).toMatchObject({ status: 503, body: { error: 'jurisdiction_unavailable', jurisdiction: 'ladbs', cause: 'connection_refused' } });
    expect(first.body.message).toBe('LADBS (City of Los Angeles) portal is temporarily unavailable (connection_refused)');
    const causes = new Set<string>([first.body.cause]);
    for (let i = 0; i < 10 && !causes.has('breaker_open'); i++) {
      causes.add((await h.get('/api/v1/permits/26030-10000-01235/status', key)).body.cause);
    }
    expect(causes).toContain('breaker_open');
  });
});
