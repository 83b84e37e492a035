// ESLint flat config. TypeScript files get typescript-eslint's type-checked recommended set
// (one TypeScript program from tsconfig.json, ~18 s for the whole tree on 2 cores) minus the
// rules listed below with the reason each is off; JavaScript files get the plain recommended
// rules. eslint-config-prettier comes last so no rule argues with Prettier's layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'src/generated/', // written by `prisma generate`
    'dist/', // npm run build (scripts/build.mjs)
    'bench/peers/*/node_modules/',
    'bench/results/',
    'web/dist/', // build output of the web client
    'web/src/gql/', // written by graphql-codegen (npm run web:codegen)
    'coverage/',
    'examples/*/src/gql/', // written by graphql-codegen (npm run codegen:example)
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
      parserOptions: {
        // Finds the tsconfig.json that includes each file (src, seed, tests, scripts, bench,
        // prisma.config.ts) and type-checks through it, as `tsc -p .` does.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `let x; … server handler reads x …; x = create()` is deliberate where a handler may run
      // before the value exists (src/index.ts binds the port before the schema is built).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Re-rejecting a caught `unknown` is how a wrapper passes an error through untouched.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Off, with why:
      // - no-unsafe-*: graphql-yoga/envelop hook payloads type `args.document`, `args.contextValue`
      //   and `result.errors` as `any`, and tests read GraphQL responses as `any` and assert
      //   them with exact `toEqual`; these rules would flag every such line (≈430 today).
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // - unbound-method: yoga hands plugins `{ endResponse, setResult, … }` to destructure;
      //   those are bound closures, which the rule cannot tell from methods.
      '@typescript-eslint/unbound-method': 'off',
      // - require-await: `async` without `await` keeps a function's contract (returns a
      //   promise, throws as a rejection) where an interface asks for a promise.
      '@typescript-eslint/require-await': 'off',
      // - restrict-template-expressions: messages interpolate caught `unknown` errors and
      //   numbers on purpose; the bug it targets (`${object}`) is covered by no-base-to-string.
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      // - no-unnecessary-type-assertion: style, not bugs; 14 sites today. Worth turning on
      //   once the files have settled in their new folders (it has an autofix).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Tests keep GraphQL responses as `any` and assert them with exact `toEqual`.
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests hand a yoga instance (a request listener that returns a promise and handles its
      // own errors) straight to `http.createServer`; other misuses are still reported.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // The web client runs in the browser; web/tsconfig.json types it (DOM, JSX).
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // JavaScript files are not in tsconfig.json: no type information for them.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS is why a file is .cjs (jest loads its test environment with require()).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
