// `npm run build:binary`: one self-contained executable, dist/permitwatch, with `bun build
// --compile` (run by Bun: `bun scripts/build-binary.mjs`). It carries the Bun runtime, every
// dependency, the migrations (they are code: src/db/migrations.ts), the captured portal pages
// the demo plane is seeded from (fixtures/, embedded as assets), the rebuild's and the WAL
// checkpointer's workers, and the libSQL native module. One binary per platform: it embeds this machine's native package.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** `--outfile <path>` writes elsewhere (the binary smoke test builds into a temp directory). */
const at = process.argv.indexOf('--outfile');
const OUTFILE = at > 0 && process.argv[at + 1] ? process.argv[at + 1] : join(root, 'dist/permitwatch');

/**
 * libsql/index.js picks its native package with a computed `require(`@libsql/${target}`)`,
 * which no bundler can follow, so the binary would start with "Cannot find module
 * '@libsql/linux-x64-gnu'" (issue 19). This names this platform's package literally, so Bun
 * embeds its index.node (../shared/research/bun-binary-libsql.md measured the recipe).
 */
const glibc = process.platform === 'linux' && Boolean(process.report?.getReport?.().header?.glibcVersionRuntime);
const NATIVE_PACKAGE = `@libsql/${process.platform}-${process.arch}${process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : ''}`;
const COMPUTED_REQUIRE = 'require(`@libsql/${target}`)';

const libsqlNative = {
  name: 'libsql-native-literal',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(COMPUTED_REQUIRE)) {
        throw new Error(`${args.path} no longer has ${COMPUTED_REQUIRE}: check the libsql upgrade against this plugin`);
      }
      return { contents: source.replace(COMPUTED_REQUIRE, `require(${JSON.stringify(`${NATIVE_PACKAGE}/index.node`)})`), loader: 'js' };
    });
  },
};

/**
 * Files that find their neighbours through `import.meta.url`: the fixture route tables (the
 * captured pages, embedded as assets), the shadow writer and the WAL checkpointer (each's worker,
 * an entry point of its own). In a compiled binary every bundled module sees the executable's URL
 * (`file:///$bunfs/root/permitwatch`), while the files sit under `/$bunfs/root/` at their paths
 * from the project root; this hands each module back its own folder.
 */
const MODULE_RELATIVE = /[\\/](fixtures[\\/][^\\/]+[\\/]routes|src[\\/]projections[\\/]shadow-writer|src[\\/]db[\\/]checkpointer)\.ts$/;
const moduleRelativeUrls = {
  name: 'module-relative-urls',
  setup(build) {
    build.onLoad({ filter: MODULE_RELATIVE }, (args) => {
      const folder = relative(root, dirname(args.path)).split(sep).join('/');
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(`${folder}/`)}, import.meta.url)`), loader: 'ts' };
    });
  },
};

/**
 * src/jurisdictions/html.ts loads linkedom on first use through createRequire (it costs ~27 MB of
 * RSS a server answering from its database never needs), a call the bundler cannot see; a plain
 * `require` it can: linkedom is bundled and still initialised only when first required.
 */
const LAZY_LINKEDOM = "createRequire(import.meta.url)('linkedom')";
const linkedomLazy = {
  name: 'linkedom-lazy',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]jurisdictions[\\/]html\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(LAZY_LINKEDOM)) throw new Error(`${args.path} no longer has ${LAZY_LINKEDOM}: update this plugin`);
      return { contents: source.replace(LAZY_LINKEDOM, "require('linkedom')"), loader: 'ts' };
    });
  },
};

/**
 * src/api/docs/reference-page.ts finds the Scalar browser bundle beside the installed package's
 * entry at run time, which a binary without node_modules cannot do: the bundle is embedded as an
 * asset at its path from the project root, and the page module is pointed at that copy.
 */
const SCALAR_ENTRY_LOOKUP = "createRequire(import.meta.url).resolve('@scalar/api-reference')";
// Bun embeds a folder asset at /$bunfs/root/<folder name>/ (here /$bunfs/root/browser/).
const SCALAR_BUNDLE_DIR = 'node_modules/@scalar/api-reference/dist/browser';
const scalarBundle = {
  name: 'scalar-bundle-embedded',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]api[\\/]docs[\\/]reference-page\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(SCALAR_ENTRY_LOOKUP)) throw new Error(`${args.path} no longer has ${SCALAR_ENTRY_LOOKUP}: update this plugin`);
      // The page joins 'browser/standalone.js' to the entry's folder: an entry at the binary's
      // root (import.meta.url is file:///$bunfs/root/permitwatch) finds the embedded copy.
      const entry = `new URL('index.js', import.meta.url).pathname`;
      return { contents: source.replace(SCALAR_ENTRY_LOOKUP, entry), loader: 'ts' };
    });
  },
};

const result = await Bun.build({
  entrypoints: [join(root, 'src/main.ts'), join(root, 'src/projections/shadow-writer-worker.mjs'), join(root, 'src/db/checkpointer-worker.mjs')],
  // Paths inside the binary are paths from the project root (see moduleRelativeUrls).
  root,
  compile: {
    outfile: OUTFILE,
    assets: [join(root, 'fixtures'), join(root, SCALAR_BUNDLE_DIR)],
    autoloadDotenv: false,
    autoloadBunfig: false,
  },
  plugins: [libsqlNative, moduleRelativeUrls, linkedomLazy, scalarBundle],
  minify: true,
  sourcemap: 'linked',
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`wrote ${OUTFILE} (${(statSync(OUTFILE).size / 1024 / 1024).toFixed(1)} MB, native module ${NATIVE_PACKAGE})`);
