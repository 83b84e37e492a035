// Import rules for Cinegraph (`npm run lint:imports`). The layering they keep:
//   seed/, bench/, tests/, scripts/  →  src/   (never the other way)
//   src/schema/  →  src/plugins/, src/pagination/, src/db/
//   src/plugins/ →  src/pagination/, src/db/   (not the schema)
//   src/pagination/ is a leaf under the builder: no builder, schema or plugins
//   src/db/ knows nothing of the schema or the plugins
// Type-only imports count for the layering rules (a leaf should not know the builder's types
// either) but not for cycles, which matter at run time (module initialisation order).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'src-not-to-outside',
      comment:
        'src/ is the application: it must not import the seed program, benchmarks, tests or scripts (they import src/). ' +
        'The one exception is the composition root, below.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^(seed|bench|tests|scripts)/' },
    },
    {
      name: 'entry-point-seeds-only-through-seed-ts',
      comment:
        'src/index.ts (the process entry point, not a module of the API) seeds an empty database at start-up ' +
        '(SEED_ON_START): it may call seed/seed.ts and nothing else outside src/.',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^(seed|bench|tests|scripts)/', pathNot: '^seed/seed\\.ts$' },
    },
    {
      name: 'pagination-is-a-leaf',
      comment: 'src/pagination/ (page size, cursor codec, keyset SQL, list skeleton) imports no builder, no schema and no plugins.',
      severity: 'error',
      from: { path: '^src/pagination/' },
      to: { path: '^src/(builder\\.ts$|schema/|plugins/)' },
    },
    {
      name: 'plugins-not-to-schema',
      comment: 'Server plugins work on any schema: they must not import schema modules.',
      severity: 'error',
      from: { path: '^src/plugins/' },
      to: { path: '^src/schema/' },
    },
    {
      name: 'db-not-to-schema-or-plugins',
      comment: 'src/db/ (client, migrations, readiness) knows nothing of the GraphQL schema or the server plugins.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(schema|plugins)/' },
    },
    {
      name: 'no-circular',
      comment: 'A file-level import cycle (type-only imports aside): module initialisation order would depend on which file is loaded first.',
      severity: 'error',
      from: { path: '^(src|seed)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'src-not-to-dev-dep',
      comment: 'The Docker image installs with --omit=dev: src/ may import devDependencies for types only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (otherwise the rules above would not see it): a typo, a missing package or a file that moved.',
      severity: 'error',
      from: { path: '^(src|seed|tests|bench|scripts)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Relative `.ts` imports (allowImportingTsExtensions) resolve as they are; tsconfig.json
    // gives the same module resolution tsc uses.
    tsConfig: { fileName: 'tsconfig.json' },
    // Keep `import type` edges, marked type-only (no-circular skips them).
    tsPreCompilationDeps: true,
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    // bench/peers/* are separate packages with their own node_modules.
    exclude: { path: ['^bench/peers/', '^bench/results/', '^web/dist/', '^coverage/'] },
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
