// npm run build: the server as compiled JavaScript in dist/, which `npm start` runs (no tsx in
// production: it added ~33 MiB of RSS and compiled every module at each start), and the import
// CLI beside it (dist/import.js, which `npm run import` runs, for the same reasons: each run paid
// tsx's start-up, which was most of re-importing an unchanged snapshot; docs/importing.md#speed).
//
// esbuild bundles src/index.ts and everything of ours it imports (the generated Prisma client,
// the seed program) into dist/, with the pure-ESM packages of many small files listed in
// BUNDLED below; other packages stay in node_modules, and a dynamic import() becomes a chunk of
// its own that loads only when called. Types are not
// checked here: `npm run typecheck` does that.
//
// Modules that find files beside themselves (prisma/migrations, seed/*.txt) read
// import.meta.dirname / import.meta.url, which in a bundle would name dist/. The plugin below
// rewrites both to the module's own source folder, relative to the bundle, so dist/ must stay
// where the build put it: next to src/, prisma/ and seed/.
//
// `node scripts/build.mjs --if-stale` (prestart) builds only when a source file, the lockfile
// or this script is newer than dist/.build-stamp, so a fresh clone, a `git pull` or an edit
// is picked up by the next `npm start` with no separate step.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// --outdir DIR: build elsewhere (tests build into a temporary folder).
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg === -1 ? path.join(root, 'dist') : path.resolve(process.argv[outdirArg + 1]);
const stamp = path.join(outdir, '.build-stamp');
const SOURCES = ['src', 'seed', 'prisma/migrations'];
const INPUTS = ['package-lock.json', 'scripts/build.mjs', 'tsconfig.json'];

/** The newest modification time among the build's inputs. */
function newestInput() {
  let newest = 0;
  const visit = (file) => {
    const stat = statSync(file);
    if (stat.isDirectory()) for (const entry of readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of [...SOURCES, ...INPUTS]) {
    const file = path.join(root, input);
    if (existsSync(file)) visit(file);
  }
  return newest;
}

const stale = () => !existsSync(stamp) || statSync(stamp).mtimeMs < newestInput();

/** import.meta.dirname / .url of a source module, as seen from the bundle in dist/. */
const importMetaPlugin = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.')) return { contents: source, loader: 'ts' };
      const dir = JSON.stringify(path.relative(outdir, path.dirname(args.path)));
      const file = JSON.stringify(path.relative(outdir, args.path));
      const contents =
        `import { join as __sourceJoin } from 'node:path';\nimport { pathToFileURL as __sourceUrl } from 'node:url';\n` +
        source
          .replaceAll('import.meta.dirname', `__sourceJoin(import.meta.dirname, ${dir})`)
          .replaceAll('import.meta.filename', `__sourceJoin(import.meta.dirname, ${file})`)
          .replaceAll('import.meta.url', `__sourceUrl(__sourceJoin(import.meta.dirname, ${file})).href`)
          // The one name that keeps meaning the bundle's own folder (src/db/template.ts).
          .replaceAll('import.meta.bundleDirname', 'import.meta.dirname');
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Packages bundled into dist/ with our code: pure-JavaScript ESM packages of many small files
 * (@graphql-tools alone is ~500 files, graphql-yoga's tree and graphql-scalars another ~300),
 * whose one-by-one resolution, reading and compiling was most of a warm start's module loading.
 * Everything else stays in node_modules: graphql itself (one instance, shared with the CommonJS
 * packages that require it), Prisma and PGlite (they load WebAssembly and data files beside
 * themselves), and the CommonJS packages.
 */
const BUNDLED = [
  /^@graphql-tools\//,
  /^@pothos\//,
  /^graphql-yoga$/,
  /^@graphql-yoga\/(?!redis-event-target$)/,
  /^@envelop\/(core|types|instrumentation|response-cache|prometheus|on-resolve|graphql-jit)$/,
  /^@whatwg-node\/(server|promise-helpers|disposablestack|events)$/,
  /^@escape\.tech\/graphql-armor/,
  /^graphql-scalars$/,
  /^zod$/,
  /^@repeaterjs\/repeater$/,
];
const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
/**
 * A package not in BUNDLED stays an import, resolved at run time from dist/, so from the root
 * node_modules. When a bundled package depends on another copy than the root's (a nested
 * node_modules), that copy is bundled instead, so every import still gets the version it asked for.
 */
const bundlePlugin = {
  name: 'bundle-chosen-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const name = packageName(args.path);
      if (BUNDLED.some((pattern) => pattern.test(name))) return undefined;
      const options = { kind: args.kind, pluginData: 'resolving' };
      const here = await b.resolve(args.path, { ...options, resolveDir: args.resolveDir });
      const fromRoot = await b.resolve(args.path, { ...options, resolveDir: root });
      if (here.errors.length > 0 || here.external) return { path: args.path, external: true };
      return here.path === fromRoot.path ? { path: args.path, external: true } : undefined;
    });
  },
};

/**
 * Prisma's query compiler as a WebAssembly file in dist/, read from disk at run time. The
 * generated client (prisma-client, runtime nodejs) imports it as a JavaScript module exporting
 * the binary as a 4.6 MB base64 string and decodes that: the module's source and the string
 * stay on the heap for the life of the process (~9 MB), and a start parses the module and decodes
 * the string before Prisma's first query. The generator has no option for a Node runtime to load
 * the .wasm file (its `?module` import is for edge runtimes), so the build writes the decoded
 * binary beside the bundle and rewrites the generated loader to read it. The build fails when
 * the generated loader no longer has the expected form (a Prisma update to check).
 */
const WASM_IMPORT =
  /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/(query_compiler_\w+_bg\.\w+)\.wasm-base64\.mjs)"\)\s*return await decodeBase64AsWasm\(wasm\)/;
const wasmWritten = new Set();
const wasmFilePlugin = {
  name: 'prisma-wasm-file',
  setup(b) {
    b.onLoad({ filter: /[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const match = WASM_IMPORT.exec(source);
      if (!match) throw new Error(`${args.path}: Prisma's query compiler loader changed; update wasmFilePlugin in scripts/build.mjs`);
      const [, specifier, name] = match;
      const { wasm } = await import(specifier);
      const file = path.join(outdir, `${name}.wasm`);
      mkdirSync(outdir, { recursive: true });
      writeFileSync(file, Buffer.from(wasm, 'base64'));
      wasmWritten.add(file);
      const load = `return WebAssembly.compile(await (await import('node:fs/promises')).readFile(new URL(${JSON.stringify(`./${name}.wasm`)}, import.meta.url)))`;
      return { contents: source.replace(WASM_IMPORT, load), loader: 'ts' };
    });
  },
};

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: path.join(root, 'src/index.ts'),
    import: path.join(root, 'src/import/cli.ts'),
    template: path.join(root, 'seed/template.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Bundled CommonJS (a nested copy, see bundlePlugin) may require Node's built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  sourcemap: 'linked',
  // No keepNames: nothing is minified, so functions and classes keep their source names (esbuild
  // renames only a top-level name that two bundled modules share, e.g. `parse2`). keepNames wraps
  // every function and class the bundled packages create in a `__name()` call that redefines
  // its `name`, at run time: ~11 % of the CPU of a `{ __typename }` request went there, on the
  // closures graphql-yoga and @whatwg-node/promise-helpers make per request
  // (docs/benchmarks.md#where-a-requests-cpu-goes).
  logLevel: 'warning',
  plugins: [bundlePlugin, wasmFilePlugin, importMetaPlugin],
  metafile: true,
});
/**
 * Every output file as ASCII. esbuild escapes non-ASCII characters in strings and templates
 * (charset "ascii") but not in the comments it keeps nor in regular expression literals (ours
 * match curly quotes and accented names), and one such character makes V8 hold the whole source
 * of the file as a two-byte string for the life of the process: 4.9 MB for the 2.5 MB bundle,
 * which a heap snapshot of a warm start showed. `\uXXXX` means the same character in a regular
 * expression (with or without the u flag, inside a class or not) and nothing in a comment; a
 * character beyond the BMP becomes its surrogate pair, as the source's UTF-16 already holds it.
 * (The source maps' columns after such a character, on its line, are off by the escape's length.)
 */
function asciiOnly(files) {
  for (const file of files) {
    if (!file.endsWith('.js')) continue;
    const text = readFileSync(file, 'utf8');
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(text)) continue;
    writeFileSync(
      file,
      // eslint-disable-next-line no-control-regex
      text.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, c) => {
        // An escaped character (`\’`, an identity escape) is the character itself: one backslash goes.
        const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
        return `${kept}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }),
    );
  }
}
asciiOnly(Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file)));

// Chunks are named by their content's hash, so a rebuild writes new names: delete what an
// earlier build wrote and this one did not, or dist/ grows by a set of chunks per change.
const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file)));
for (const entry of readdirSync(outdir)) {
  const file = path.join(outdir, entry);
  if (/\.js(\.map)?$/.test(entry) && !written.has(file)) rmSync(file);
  else if (entry.endsWith('.wasm') && !wasmWritten.has(file)) rmSync(file);
}
// The seeded embedded database a start on a new data folder unpacks (src/db/template.ts): built
// by the bundle itself, so it holds what this build's migrations and seed write.
const templateStarted = performance.now();
execFileSync(process.execPath, [path.join(outdir, 'template.js')], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, NODE_OPTIONS: '' },
});
const templateMs = Math.round(performance.now() - templateStarted);

writeFileSync(stamp, new Date().toISOString());
console.error(
  `built ${path.relative(root, outdir) || outdir} in ${Math.round(performance.now() - started)} ms (the seeded database archive: ${templateMs} ms)`,
);
