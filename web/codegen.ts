// graphql-codegen for the web client: the client preset against the committed schema.graphql,
// the scalar mapping of the example client (one mapping for every front end of this repository),
// fragment masking on (each component reads only its own fragment), and the persisted-documents
// manifest that web/build.mjs ships with the site for the server's trusted documents.
// Run from the repository root: npm run web:codegen.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import { scalars } from '../examples/film-client/codegen.ts';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      // urql's document cache learns which queries a mutation touches from the `__typename`s of
      // results; it adds them to the text it sends, but persisted documents are sent by id, so the
      // stored documents must carry them.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        persistedDocuments: { hashAlgorithm: 'sha256' },
        fragmentMasking: { unmaskFunctionName: 'readFragment' },
      },
      config: {
        scalars,
        strictScalars: true,
        onlyOperationTypes: true,
        useTypeImports: true,
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
