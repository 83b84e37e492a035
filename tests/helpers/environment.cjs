// Jest test environment: Node's, plus what every test file's PGlite would otherwise build again.
// A worker runs many test files, each in a fresh VM context with its own module registry, so a
// module-level cache in a helper dies with each file. This module lives in the worker itself,
// outside those contexts: it compiles PGlite's WebAssembly once per worker and reads its
// file-system bundle and the seeded template once, and hands them to each file's context as
// `globalThis.__cinegraphTestAssets` (tests/helpers/db.ts). A compiled WebAssembly.Module is
// immutable and may be instantiated any number of times, in any context; each database still
// gets its own instance and memory.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

const PGLITE_DIST = path.dirname(require.resolve('@electric-sql/pglite'));

let assets;

async function load() {
  const wasm = readFileSync(path.join(PGLITE_DIST, 'pglite.wasm'));
  return {
    wasmModule: await WebAssembly.compile(wasm),
    fsBundle: new Blob([readFileSync(path.join(PGLITE_DIST, 'pglite.data'))]),
    /** Template dumps by file name, read once per worker (tests/helpers/db.ts names and builds them). */
    templates: new Map(),
  };
}

class CinegraphEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    assets ??= load();
    this.global.__cinegraphTestAssets = await assets;
  }
}

module.exports = CinegraphEnvironment;
