// Jest test environment: Node's, plus what every test file's PGlite would otherwise build again.
// A worker runs many test files, each in a fresh VM context with its own module registry, so a
// module-level cache in a helper dies with each file. This module lives in the worker itself,
// outside those contexts: it reads PGlite's WebAssembly, its file-system bundle and the seeded
// template once per worker, keeps PGlite's and Prisma's query compiler's WebAssembly compiled,
// and hands the rest to each file's context as `globalThis.__cinegraphTestAssets`
// (tests/helpers/db.ts). Each database still gets its own WebAssembly instance and memory.
const { appendFileSync, readFileSync } = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

const PGLITE_DIST = path.dirname(require.resolve('@electric-sql/pglite'));

// A full collection after each file: each PGlite holds a few hundred MB of WebAssembly memory
// outside the JS heap, which V8 does not weigh when deciding to collect, so a finished file's
// databases could linger while the next file opens its own; and jest compares the heap it sees
// right after the file with workerIdleMemoryLimit (jest.config.js), so uncollected garbage would
// replace workers for nothing. It costs a fraction of a second a file.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

let assets;

/**
 * Prisma's query compiler. Each test file's Prisma client compiles these bytes itself
 * (src/generated/prisma/internal/class.ts); V8 shares the compiled code of identical WebAssembly
 * modules in a process while one of them lives. Without a live one, each file's full collection
 * freed it and the next file started cold.
 */
function prismaQueryCompiler() {
  const { wasm } = require('@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.js');
  return new WebAssembly.Module(Buffer.from(wasm, 'base64'));
}

async function load() {
  const pgliteWasm = readFileSync(path.join(PGLITE_DIST, 'pglite.wasm'));
  return {
    pgliteWasm,
    fsBundle: new Blob([readFileSync(path.join(PGLITE_DIST, 'pglite.data'))]),
    /** Template dumps by file name, read once per worker (tests/helpers/db.ts names and builds them). */
    templates: new Map(),
    // Never read: held so that V8's per-process cache of compiled WebAssembly keeps the code of
    // PGlite and of Prisma's query compiler, lazily compiled and optimised functions included,
    // from one file to the next (a file's own modules die with it, in the full collection below).
    compiled: [await WebAssembly.compile(pgliteWasm), prismaQueryCompiler()],
  };
}

class CinegraphEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    this.started = { at: performance.now(), cpu: process.cpuUsage() };
    await super.setup();
    assets ??= load();
    const { pgliteWasm, fsBundle, templates } = await assets;
    this.global.__cinegraphTestAssets = {
      // Compiled in the file's own realm: PGlite's loader tests `instanceof WebAssembly.Module`,
      // which a module from this one fails. The same bytes as a live module: V8 reuses its code.
      pgliteWasmModule: new this.global.WebAssembly.Module(pgliteWasm),
      fsBundle,
      templates,
    };
  }

  async teardown() {
    await super.teardown();
    gc();
    // TEST_PROFILE=<file>: one JSON line per test file (wall and CPU time of this worker, its RSS
    // and JS heap after the file, and the worker's peak RSS so far), to find what makes the suite slow or big.
    const profile = process.env.TEST_PROFILE;
    if (profile && this.started) {
      const cpu = process.cpuUsage(this.started.cpu);
      const line = {
        file: path.relative(process.cwd(), this.testPath),
        wallMs: Math.round(performance.now() - this.started.at),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
        heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        worker: process.pid,
      };
      appendFileSync(profile, `${JSON.stringify(line)}\n`);
    }
  }
}

module.exports = CinegraphEnvironment;
