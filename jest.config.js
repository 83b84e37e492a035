import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TESTS = path.join(import.meta.dirname, 'tests');

/**
 * Test files that never open a database: they import no database helper and nothing of src/db,
 * the yoga instance or the server. They run the same on either engine, so CI's PostgreSQL pass
 * leaves them out (TEST_SKIP_ENGINE_FREE=1, set by .ci/run) after the PGlite pass ran them.
 */
const DATABASE_USE =
  /helpers\/(db|graphql|http|server-process|catalog|factory|facts-fixtures|dump|cli|keys|private-postgres|round-trip|run-to-exit|sources|film-oracle|hand-written|redis)|src\/(db\/|yoga|index)|openDatabase|TEST_DATABASE_URL/;

function engineFreeTests() {
  return readdirSync(TESTS, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !DATABASE_USE.test(readFileSync(path.join(TESTS, file), 'utf8')))
    .map((file) => `<rootDir>/tests/${file.split(path.sep).join('/')}`.replace(/[.]/g, '\\.'));
}

/**
 * The slow files: test files that take a minute or more of a worker each on a 2-core machine
 * (fuzzers, properties over thousands of rows, races of many clients, bench-style checks, a
 * browser, spawned server processes). `npm test` (TEST_SUITE=default) leaves them out for a quick loop;
 * `npm run test:all` (what CI runs, on both engines) runs them too. A new file is in the
 * default part unless it is listed here (docs/testing.md).
 */
export const SLOW_TESTS = [
  // fuzzers, properties and list scale (fast-check; run counts and sizes unchanged)
  'tests/server/fuzz.test.ts',
  'tests/review/fuzz.test.ts',
  'tests/write/fuzz.test.ts',
  'tests/write/fuzz-people.test.ts',
  'tests/pagination/keyset-property.test.ts',
  'tests/pagination/keyset-plan.test.ts',
  'tests/pagination/list-scale.test.ts',
  // races of many concurrent writers
  'tests/credit/concurrency.test.ts',
  'tests/review/concurrency.test.ts',
  'tests/merge/concurrency.test.ts',
  // bench-style checks of the benchmark harness
  'tests/bench/paced.test.ts',
  'tests/bench/quick.test.ts',
  // a headless browser, and the example client's tsc and codegen
  'tests/server/graphiql.test.ts',
  'tests/examples/film-client.test.ts',
  // the web client: a build (codegen + Vite) when stale, then headless Chromium
  'tests/web/browser.test.ts',
  'tests/web/site.test.ts',
  'tests/web/facts.test.ts',
  'tests/web/editor.test.ts',
  // spawned server and CLI processes (each pays Node, tsx and the whole module graph; most a fresh database)
  'tests/server/server.test.ts',
  'tests/server/startup.test.ts',
  'tests/server/shutdown.test.ts',
  'tests/server/slow-clients.test.ts',
  'tests/server/outage.test.ts',
  'tests/db/data-dir.test.ts',
  'tests/db/readiness.test.ts',
  'tests/db/migrate.test.ts',
  'tests/live/processes.test.ts',
  'tests/plugins/response-cache/response-cache.test.ts',
  'tests/auth/keys-cli.test.ts',
  'tests/pagination/cursor-secret.test.ts',
  'tests/proposal/ingest.test.ts',
  'tests/server/build.test.ts',
  'tests/import/imdb-cli.test.ts',
  // a PostgreSQL primary and a streaming replica started by the test
  'tests/db/replicas.test.ts',
];

/**
 * TEST_SUITE picks the files: `default` leaves SLOW_TESTS out (`npm test`), `slow` runs only them
 * (`npm run test:slow`), unset runs every file (`npm run test:all`, CI, a plain jest command, the
 * mutation runs, which set their own testMatch).
 */
const suite = process.env.TEST_SUITE ?? 'all';
if (!['default', 'slow', 'all'].includes(suite)) throw new Error(`TEST_SUITE must be default, slow or all, not ${suite}`);
const slowPatterns = SLOW_TESTS.map((file) => `<rootDir>/${file}`.replace(/[.]/g, '\\.'));

/** @type {import('jest').Config} */
export default {
  // Node's environment plus PGlite's compiled WebAssembly, file-system bundle and seeded template,
  // built once per worker instead of once per test file (tests/helpers/environment.cjs).
  // An absolute path, not `<rootDir>/…`: StrykerJS' jest runner resolves it without substituting <rootDir>.
  testEnvironment: path.join(TESTS, 'helpers/environment.cjs'),
  // Names the run; on PostgreSQL, files copy one template database built once per run (tests/helpers/db.ts).
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: suite === 'slow' ? SLOW_TESTS.map((file) => `<rootDir>/${file}`) : ['<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.TEST_SKIP_ENGINE_FREE === '1' ? engineFreeTests() : []),
    ...(suite === 'default' ? slowPatterns : []),
  ],
  // Each test file opens its own database (PGlite ~300 MB, or a PostgreSQL database).
  maxWorkers: 2,
  // A worker keeps some of every finished file (jest's ESM module contexts: its JS heap grew by
  // 30-60 MB a file even after the environment's full collection, its RSS by ~100 MB), so a long
  // run would climb past 1.3 GB a worker. jest checks the heap after each file and replaces a
  // worker above this; a new worker costs a second or two (PGlite's WebAssembly compiled again).
  workerIdleMemoryLimit: '320MB',
  testTimeout: 120_000,
  verbose: true,
};
