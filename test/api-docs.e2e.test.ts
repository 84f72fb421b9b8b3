import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

/** Every `{{name}}` a Postman collection uses. */
const usedVariables = (collection: unknown) => new Set([...JSON.stringify(collection).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));

// Issue 21, defect 8: /openapi.json and /postman.json name where the server is reached (the
// request's origin, or PERMITWATCH_PUBLIC_URL) and define every variable, so an import works.
describe('API documents name the server they came from', () => {
  let h: Harness;
  let proxied: Harness;
  beforeAll(async () => {
    h = await startHarness();
    proxied = await startHarness({ env: { public_url: 'https://permits.example.com/' } });
  });
  afterAll(async () => {
    await h.close();
    await proxied.close();
  });

  it("/openapi.json's servers is the request's origin, or the configured public URL", async () => {
    expect((await h.get('/openapi.json')).body.servers).toEqual([{ url: h.server.url }]);
    expect((await proxied.get('/openapi.json')).body.servers).toEqual([{ url: 'https://permits.example.com' }]);
  });

  it('/postman.json defines baseUrl as the origin and every variable it uses, apiKey included', async () => {
    for (const [harness, origin] of [
      [h, h.server.url],
      [proxied, 'https://permits.example.com'],
    ] as const) {
      const collection = (await harness.get('/postman.json')).body;
      const defined = new Map<string, string>(collection.variable.map((v: { key: string; value: string }) => [v.key, v.value]));
      expect(defined.get('baseUrl')).toBe(origin);
      expect(defined.has('apiKey')).toBe(true);
      expect([...usedVariables(collection)].filter((name) => !defined.has(name))).toEqual([]);
    }
  });
});
