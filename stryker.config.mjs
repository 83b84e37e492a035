// Mutation testing (StrykerJS) of the modules where a silent bug costs most: `npm run test:mutation`
// (scripts/mutation.mjs), not part of `npm test`. docs/testing.md#mutation-testing says what score to expect.
//
// Each group mutates a few modules and runs only the test files that cover them, so a mutant
// costs seconds, not a whole suite: with per-test coverage Stryker runs only the tests that
// reached the mutant, but a test file still opens its database for each run, and a "static"
// mutant (module-level code, run at import) runs every test of its group.

import { readFileSync } from 'node:fs';

/** Lines `first-last` of the block that opens with `opening` (a line start) and closes with `closing`. */
function linesOf(file, opening, closing = '}') {
  const lines = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8').split('\n');
  const first = lines.findIndex((l) => l.startsWith(opening));
  const last = lines.findIndex((l, i) => i > first && l === closing);
  if (first < 0 || last < 0) throw new Error(`stryker.config.mjs: \`${opening}\` not found in ${file}`);
  return `${file}:${first + 1}-${last + 1}`;
}

/**
 * One Stryker run per group: the modules it mutates and the test files that cover them. The
 * lists are short on purpose (each mutant runs every test of these files that reached it);
 * `env` is set for the test runners.
 *
 * `firstPass`: test files without a database (fast per mutant) that scripts/mutation.mjs runs
 * first, alone; the run over all of `tests` then reuses every mutant they killed (Stryker's
 * incremental mode keeps a mutant killed while its killing test is unchanged) and tests only
 * the rest. A mutant killed by some of the group's tests is killed by all of them, so the score
 * is the same as one run over `tests`, without opening a database for the mutants a unit test kills.
 *
 * `optional`: not part of a plain `npm run test:mutation` nor of the score it checks (run it by name).
 * @type {{ name: string, mutate: string[], tests: string[], firstPass?: string[], env?: Record<string, string>, coverageAnalysis?: 'all' | 'perTest', optional?: boolean }[]}
 */
export const groups = [
  {
    name: 'cursor',
    mutate: ['src/pagination/cursor.ts'],
    tests: [
      'tests/pagination/cursor.test.ts',
      'tests/pagination/cursor-secret.test.ts',
      'tests/schema/connections.test.ts',
      'tests/pagination/list-errors.test.ts',
    ],
  },
  {
    name: 'keyset',
    mutate: ['src/pagination/keyset.ts', 'src/pagination/list.ts', 'src/pagination/page-size.ts'],
    tests: [
      'tests/schema/connections.test.ts',
      'tests/pagination/list-errors.test.ts',
      'tests/pagination/keyset-property.test.ts',
      'tests/pagination/keyset-plan.test.ts',
    ],
    // 10 property runs over 500 films, no shrinking: a mutant is killed by the first failure.
    env: { KEYSET_PROPERTY_QUICK: '1' },
  },
  {
    name: 'cost',
    mutate: ['src/plugins/cost/cost.ts', 'src/plugins/cost/actual.ts', 'src/plugins/cost/model.ts'],
    // pricing, actual, use-cost: the walks, the price cache and the plugin on a hand-built schema, no database (fast per mutant).
    tests: [
      'tests/plugins/cost/pricing.test.ts',
      'tests/plugins/cost/actual.test.ts',
      'tests/plugins/cost/use-cost.test.ts',
      'tests/plugins/cost/cost.test.ts',
    ],
    firstPass: ['tests/plugins/cost/pricing.test.ts', 'tests/plugins/cost/actual.test.ts', 'tests/plugins/cost/use-cost.test.ts'],
  },
  {
    name: 'limits',
    mutate: ['src/plugins/limits/limits.ts'],
    tests: ['tests/plugins/limits/limits.test.ts'],
    // Most of limits.ts runs when the server is built, in a beforeAll: per-test coverage credits
    // that code to no test, so its mutants ran against the wrong tests and "survived" (planting
    // them by hand, the boundary tests fail). Every limits test runs for every mutant instead.
    coverageAnalysis: 'all',
  },
  {
    name: 'rate-limit',
    mutate: ['src/plugins/rate-limit.ts'],
    tests: ['tests/plugins/rate-limit-rules.test.ts', 'tests/plugins/rate-limit.test.ts'],
    firstPass: ['tests/plugins/rate-limit-rules.test.ts'],
  },
  {
    name: 'cache-auth',
    // Of the response cache, the invalidation part: the store's fail-open wrapper and the plugin
    // that invalidates what a mutation wrote. Plus the in-process store it invalidates, and auth,
    // which decides who may write and who shares the cache.
    mutate: [
      linesOf('src/plugins/response-cache/response-cache.ts', 'function failOpen('),
      linesOf('src/plugins/response-cache/response-cache.ts', '  const invalidateWrites: Plugin<Context> = {', '  };'),
      'src/plugins/response-cache/memory-store.ts',
      'src/auth/identity.ts',
      'src/auth/keys.ts',
    ],
    tests: [
      'tests/auth/scopes.test.ts',
      'tests/auth/headers.test.ts',
      'tests/auth/identity.test.ts',
      'tests/auth/api-keys.test.ts',
      'tests/plugins/response-cache/memory-store.test.ts',
      'tests/plugins/response-cache/byte-budget.test.ts',
      'tests/plugins/response-cache/response-cache.test.ts',
      'tests/film/mutations.test.ts',
      'tests/plugins/metrics/metrics.test.ts',
    ],
    firstPass: ['tests/auth/scopes.test.ts', 'tests/auth/headers.test.ts', 'tests/plugins/response-cache/memory-store.test.ts'],
    // metrics.test.ts is here for the store failures it counts by operation; its label flood
    // (3,000 requests, about the label cap, which this group does not mutate) is left out.
    env: { MUTATION_SKIP_LABEL_FLOOD: '1' },
  },
  {
    name: 'writes',
    // What the issue names: migrations, and citation offsets — locate.ts computes every
    // citation's offsets (the seed's and the mutations'); cite.ts resolves a mutation's citation.
    mutate: ['src/db/migrate.ts', 'src/schema/write/cite.ts', 'src/schema/citation/locate.ts'],
    // review/mutations.test.ts: the one writer whose citations sit below the input (a quote's, at input.quotes.N.citations).
    tests: [
      'tests/citation/locate.test.ts',
      'tests/write/citations.test.ts',
      'tests/db/migrate.test.ts',
      'tests/film/mutations.test.ts',
      'tests/review/mutations.test.ts',
    ],
    // Not the seed's test files: they reach locate() only while building the shared template (no
    // test is credited with it), and their race of two seeders hits statement timeouts on a loaded host.
    firstPass: ['tests/citation/locate.test.ts'],
  },
  {
    name: 'writes-extra',
    // The rest of the write path (the transaction runner, entity writes, the change-set diff):
    // large files the 85 % target does not cover. Optional: run only when named, and not
    // counted in the score scripts/mutation.mjs checks.
    optional: true,
    mutate: ['src/schema/write/run.ts', 'src/schema/write/entities.ts', 'src/schema/write/diff.ts'],
    tests: ['tests/write/citations.test.ts', 'tests/write/revert.test.ts', 'tests/film/mutations.test.ts', 'tests/schema/printed.test.ts'],
  },
];

/**
 * Stryker options for one group (or every module at once with `npx stryker run`). `quick`: the
 * group's database-free first pass, whose tests take milliseconds: a mutant that makes one of
 * them wait (a request that never settles) fails it within 15 s, and Stryker's own timeout is
 * shorter, so such mutants do not each hold a runner for half a minute.
 */
export function configFor(group, { quick = false } = {}) {
  return {
    testRunner: 'jest',
    plugins: ['@stryker-mutator/jest-runner'],
    // The suite is ESM jest with @swc/jest: the runner needs the same flag as `npm test`.
    testRunnerNodeArgs: ['--experimental-vm-modules'],
    jest: {
      configFile: 'jest.config.js',
      config: {
        testMatch: group.tests.map((file) => `<rootDir>/${file}`),
        verbose: false,
        // Jest runs the global setup and teardown around every mutant's run: on PostgreSQL they
        // would name a new template database each time and drop it after, so every mutant would
        // migrate and seed one again. scripts/mutation.mjs names one template for the whole
        // Stryker run instead (CINEGRAPH_TEST_RUN, tests/helpers/db.ts) and drops it at the end.
        globalSetup: null,
        globalTeardown: null,
        // Also the hooks' limit: a beforeAll opening a database on a loaded host must not fail a
        // dry run; a mutant that hangs is still stopped by Stryker's own timeout (timeoutMS).
        testTimeout: quick ? 15_000 : 600_000,
      },
      enableFindRelatedTests: false,
    },
    // Per-test coverage works with this ESM setup (checked): each mutant runs only the tests that reached it.
    coverageAnalysis: group.coverageAnalysis ?? 'perTest',
    mutate: group.mutate,
    // 2 cores; each runner holds a PGlite database (~300 MB) per open test file.
    // MUTATION_CONCURRENCY=1 on a machine busy with other work.
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // A mutant's run includes opening its test file's database; generous, as the machine is
    // shared: a run slowed by other load must not pass for a mutant caught by a timeout.
    // MUTATION_TIMEOUT_MS raises it on a loaded host (at load 8-12 a message-only mutant's run
    // outlasted 20 s and was reported as a timeout, i.e. counted as detected without being tested).
    timeoutMS: Number(process.env.MUTATION_TIMEOUT_MS ?? (quick ? 10_000 : 20_000)),
    timeoutFactor: 2.5,
    dryRunTimeoutMinutes: 15,
    // Module-level code runs once, at import, before any test: a mutant there would rerun every
    // test of the group. Skipped (reported as Ignored); what such code sets up is covered anyway.
    // Stryker refuses the option without per-test coverage (the limits group): there every
    // mutant runs every test anyway, static ones included.
    ignoreStatic: (group.coverageAnalysis ?? 'perTest') === 'perTest',
    incremental: true,
    incrementalFile: `reports/mutation/${group.name}.incremental.json`,
    // MUTATION_EVENTS=1 also writes each mutant's result as it is tested (reports/mutation/<group>-events/), to read survivors during a long run.
    reporters: ['progress', 'clear-text', 'html', 'json', ...(process.env.MUTATION_EVENTS ? ['event-recorder'] : [])],
    eventReporter: { baseDir: `reports/mutation/${group.name}-events` },
    htmlReporter: { fileName: `reports/mutation/${group.name}.html` },
    jsonReporter: { fileName: `reports/mutation/${group.name}.json` },
    clearTextReporter: { reportTestTopics: false, reportMutants: true, reportScoreTable: true },
    thresholds: { high: 90, low: 85, break: null },
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
  };
}

// `npx stryker run` alone mutates everything against every listed test file (slow: static
// mutants then run all of them); scripts/mutation.mjs sets MUTATION_GROUP to run one group.
const selected = groups.find((g) => g.name === process.env.MUTATION_GROUP);
if (process.env.MUTATION_GROUP && !selected) throw new Error(`MUTATION_GROUP: no group ${process.env.MUTATION_GROUP}`);
// MUTATION_FIRST_PASS=1: the group's firstPass test files only (scripts/mutation.mjs runs it before the full run).
const quick = Boolean(selected?.firstPass) && process.env.MUTATION_FIRST_PASS === '1';
const firstPass = selected && process.env.MUTATION_FIRST_PASS === '1' ? { ...selected, tests: selected.firstPass ?? selected.tests } : selected;
const required = groups.filter((g) => !g.optional);
export default configFor(firstPass ?? { name: 'all', mutate: required.flatMap((g) => g.mutate), tests: [...new Set(required.flatMap((g) => g.tests))] }, {
  quick,
});
