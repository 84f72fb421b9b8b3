import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

/** Where the page loads the reference bundle and its start-up script from: our own paths, no CDN. */
export const DOCS_BUNDLE_PATH = '/docs/scalar.js';
export const DOCS_INIT_PATH = '/docs/init.js';
/** Browsers may keep the bundle this long: it changes only with the installed package. */
const BUNDLE_MAX_AGE_SECONDS = 3_600;

/**
 * The docs page's Content-Security-Policy (issue 21, defect 7): scripts from this origin only, no
 * inline or evaluated script; Scalar sets inline styles on its components, so styles alone
 * allow 'unsafe-inline'; requests ("Try it") go to this origin only.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html>
  <head>
    <title>Permitwatch API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <div id="app"></div>
    <script src="${DOCS_BUNDLE_PATH}"></script>
    <script src="${DOCS_INIT_PATH}"></script>
  </body>
</html>
`;

/**
 * Scalar's own start-up call, as a script file rather than inline (a strict CSP refuses inline
 * script). `withDefaultFonts: false`: its default fonts come from fonts.scalar.com.
 */
const INIT = `Scalar.createApiReference('#app', ${JSON.stringify({ url: '/openapi.json', withDefaultFonts: false, hideClientButton: true })});\n`;

/**
 * The browser bundle of the installed @scalar/api-reference (its `dist/browser/standalone.js`,
 * which the package's exports map does not list, so it is found beside the package's entry).
 */
function bundleFile(): string {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return join(dirname(entry), 'browser', 'standalone.js');
}

/**
 * /docs: the Scalar API reference over /openapi.json, served whole from this server (issue 21,
 * defect 7: the CDN script left the page blank offline and under a strict CSP). The 4.9 MB
 * bundle is read on its first request and kept.
 */
export function docsRoutes(app: Hono<AppEnv>): void {
  let bundle: Promise<Buffer> | undefined;
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(PAGE);
  });
  app.get(DOCS_INIT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(INIT);
  });
  app.get(DOCS_BUNDLE_PATH, async (c) => {
    bundle ??= readFile(bundleFile()).catch((err) => {
      bundle = undefined;
      throw err;
    });
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', `public, max-age=${BUNDLE_MAX_AGE_SECONDS}`);
    return c.body(new Uint8Array(await bundle));
  });
}
