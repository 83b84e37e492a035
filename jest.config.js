/** @type {import('jest').Config} */
export default {
  // Node's environment plus PGlite's compiled WebAssembly, file-system bundle and seeded template,
  // built once per worker instead of once per test file (tests/helpers/environment.cjs).
  testEnvironment: '<rootDir>/tests/helpers/environment.cjs',
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
  // Each test file opens its own database (PGlite ~300 MB, or a PostgreSQL database).
  maxWorkers: 2,
  testTimeout: 120_000,
  verbose: true,
};
