// `npm run build`: compiles src/ and fixtures/ to dist/ with tsc, then copies the files the
// compiled code reads beside itself (worker scripts, captured portal pages), so dist/ runs alone.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What compiled code loads by path at run time: plain-JS workers and the captured pages. */
const ASSET_EXTENSIONS = new Set(['.mjs', '.html', '.json', '.md']);

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const dir of ['src', 'fixtures']) {
  cpSync(join(root, dir), join(root, 'dist', dir), {
    recursive: true,
    filter: (path) => !extname(path) || ASSET_EXTENSIONS.has(extname(path)),
  });
}
