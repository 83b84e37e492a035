// GraphQL Code Generator recipe for a Cinegraph front end (client preset). Run from the
// repository root: `npm run codegen:example` (= graphql-codegen --config examples/film-client/codegen.ts).
// In an app of your own, point `schema` at Cinegraph's schema.graphql (or its /graphql endpoint)
// and `documents` at your sources; keep the rest.
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Every custom scalar of schema.graphql, as it arrives in JSON. `strictScalars` makes codegen fail
 * on a scalar missing here, so a new one cannot slip back to `unknown`.
 */
export const scalars = {
  // graphql-scalars' CountryCode: an ISO 3166-1 alpha-2 code, e.g. "US".
  CountryCode: 'string',
  // A calendar date "YYYY-MM-DD" (kept a string: a JS Date would invent a time zone).
  Date: 'string',
  // An RFC 3339 timestamp in UTC, e.g. "2024-05-01T12:00:00.000Z".
  DateTime: 'string',
  JSON: 'unknown',
  NonNegativeInt: 'number',
  URL: 'string',
} as const;

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/film-client/src/**/*.ts', '!examples/film-client/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'examples/film-client/src/gql/': {
      preset: 'client',
      presetConfig: {
        // Writes gql/persisted-documents.json ({ "sha256:<hex>": document }) for the server's
        // TRUSTED_DOCUMENTS, and puts each document's id in its `__meta__.hash`.
        persistedDocuments: { hashAlgorithm: 'sha256' },
        fragmentMasking: false,
      },
      config: {
        scalars,
        strictScalars: true,
        // Types for the operations only (not every schema type), without __typename unless selected:
        // smaller output, and renames elsewhere in the schema do not touch it.
        onlyOperationTypes: true,
        skipTypename: true,
        useTypeImports: true,
        // Imports with the .ts extension, as this repository's NodeNext + allowImportingTsExtensions setup wants.
        emitLegacyCommonJSImports: false,
        importExtension: '.ts',
      },
    },
  },
};

export default config;
