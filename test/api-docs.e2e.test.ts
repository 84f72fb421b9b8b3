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

// Issue 21, defect 7: /docs works offline and under a strict CSP: the Scalar bundle comes from
// the installed package under our own path, and the page has no inline or third-party script.
describe('/docs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('loads only same-origin scripts, none inline, under a CSP that forbids anything else', async () => {
    const page = await fetch(`${h.server.url}/docs`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("connect-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attrs).toMatch(/src="\/[^/]/);
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the bundle of the installed @scalar/api-reference and a start-up script naming /openapi.json', async () => {
    const bundle = await fetch(`${h.server.url}/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    const code = await bundle.text();
    expect(code.length).toBeGreaterThan(1_000_000);
    expect(code).toContain('createApiReference');
    const init = await (await fetch(`${h.server.url}/docs/init.js`)).text();
    expect(init).toContain("Scalar.createApiReference('#app'");
    expect(init).toContain('/openapi.json');
    expect(init).toContain('"withDefaultFonts":false');
  });
});
