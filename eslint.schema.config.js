// Schema lint (`npm run lint:schema`, part of `npm run lint`): the printed contract, schema.graphql,
// checked by @graphql-eslint. Its own config, not a block of eslint.config.js: the type-checked
// TypeScript rules there apply to every file they see, and the schema needs none of them.
import graphql from '@graphql-eslint/eslint-plugin';
import { defineConfig } from 'eslint/config';

export default defineConfig({
  files: ['schema.graphql'],
  languageOptions: {
    parser: graphql.parser,
    // The rules that look across types (relay-edge-types, no-unreachable-types …) read the schema here.
    parserOptions: { graphQLConfig: { schema: 'schema.graphql' } },
  },
  plugins: { '@graphql-eslint': graphql },
  rules: {
    ...graphql.configs['flat/schema-recommended'].rules,
    ...graphql.configs['flat/schema-relay'].rules,
    // Every public element says what it is: types, fields, arguments, input fields, enum values.
    '@graphql-eslint/require-description': [
      'error',
      {
        types: true,
        rootField: true,
        FieldDefinition: true,
        InputValueDefinition: true,
        EnumValueDefinition: true,
        DirectiveDefinition: true,
      },
    ],
    // Connections that page only forwards (the change feed, resumed from its last cursor) are
    // allowed; a connection must at least take `first`/`after`.
    '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
    // Edges are named …Edge and their nodes implement Node (refetchable). Other lists (genres,
    // cast …) are plain lists, so listTypeCanWrapOnlyEdgeType stays off.
    '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
    // Entities carry `id: ID!` (Relay normalizes by it). Values without an identity of their own,
    // read only through their parent, are listed: a new type must have an id or be added here.
    '@graphql-eslint/strict-id-in-types': [
      'error',
      {
        exceptions: {
          suffixes: ['Connection', 'Edge', 'Payload', 'Facet', 'Facets'],
          types: [
            'PageInfo',
            'AcceptProposalOutcome',
            'ConflictRecord',
            'CriticScore',
            'FieldChange',
            'PersonAlias',
            'ReleaseChoice',
            'ProposalExcerpt',
            'ProposalRefs',
            'RecordLocator',
            'ReviewQuote',
            'RevisionEvent',
            'TextLocator',
            'UnbackedFact',
            'UserError',
          ],
        },
      },
    ],
  },
});
