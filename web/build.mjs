// Builds the web client into web/dist: graphql-codegen (types + the persisted-documents manifest),
// then Vite, then the manifest copied beside the site (the server loads it as trusted documents)
// and every asset precompressed (gzip, brotli) for the server to send as they are.
//   node web/build.mjs            build
//   node web/build.mjs --if-stale build only when web/dist is missing or older than its sources
// Run by `npm install` (postinstall) and `npm start` (prestart) with --if-stale, and by the web
// tests. Without the devDependencies (a production install) it says so and leaves the API alone.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const WEB = import.meta.dirname;
const ROOT = path.dirname(WEB);
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, 'persisted-documents.json');
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(WEB, 'codegen.ts'),
  path.join(WEB, 'build.mjs'),
  path.join(ROOT, 'schema.graphql'),
];

function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(file, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

function isStale() {
  if (!existsSync(STAMP) || !existsSync(path.join(DIST, 'index.html'))) return true;
  const built = statSync(STAMP).mtimeMs;
  // Generated code is written by the build itself: only hand-made sources count.
  return SOURCES.some((source) => existsSync(source) && newest(source) > built && !source.endsWith(`${path.sep}gql`));
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const CODEGEN = path.join(ROOT, 'node_modules/.bin/graphql-codegen');
let vite;
try {
  vite = await import('vite');
} catch {
  vite = undefined;
}
if (!vite || !existsSync(CODEGEN)) {
  console.warn('web: Vite or graphql-codegen is not installed (devDependencies): the site is not built and `/` will not serve it.');
  process.exit(0);
}

// Always a production build (persisted ids only, React's production bundle), whatever NODE_ENV the
// caller runs under (jest sets "test", which Vite would otherwise turn into a development build).
process.env.NODE_ENV = 'production';
const started = performance.now();
execFileSync(CODEGEN, ['--config', 'web/codegen.ts', '--silent'], { cwd: ROOT, stdio: 'inherit' });
await vite.build({ configFile: path.join(WEB, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
copyFileSync(path.join(WEB, 'src/gql/persisted-documents.json'), STAMP);

let raw = 0;
let gzipped = 0;
for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|html|json|svg)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath, entry.name);
  const content = readFileSync(file);
  const gz = gzipSync(content, { level: 9 });
  writeFileSync(`${file}.gz`, gz);
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  raw += content.length;
  gzipped += gz.length;
}
console.log(`web: built web/dist in ${Math.round(performance.now() - started)} ms (${Math.round(raw / 1024)} kB, ${Math.round(gzipped / 1024)} kB gzip)`);
