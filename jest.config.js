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

/** @type {import('jest').Config} */
export default {
  // Node's environment plus PGlite's compiled WebAssembly, file-system bundle and seeded template,
  // built once per worker instead of once per test file (tests/helpers/environment.cjs).
  // An absolute path, not `<rootDir>/…`: StrykerJS' jest runner resolves it without substituting <rootDir>.
  testEnvironment: path.join(TESTS, 'helpers/environment.cjs'),
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
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.TEST_SKIP_ENGINE_FREE === '1' ? engineFreeTests() : [])],
  // Each test file opens its own database (PGlite ~300 MB, or a PostgreSQL database).
  maxWorkers: 2,
  testTimeout: 120_000,
  verbose: true,
};
