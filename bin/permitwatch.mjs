#!/usr/bin/env node
// Runs the compiled CLI and server (dist/, built by `npm run build`, which `npm ci` runs through
// `prepare`): no TypeScript compiler at start-up. Bun and Deno run src/main.ts directly.
try {
  await import('../dist/src/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/main.js')) {
    process.stderr.write('permitwatch: dist/ is missing; run `npm run build` (npm ci runs it) first\n');
    process.exit(1);
  }
  throw err;
}
