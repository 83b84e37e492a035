/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query FilmPage($slug: String!, $country: CountryCode!) {\n    film(slug: $slug) {\n      id\n      title\n      year\n      runtimeMinutes\n      updatedAt\n      cast {\n        billingOrder\n        character\n        person {\n          name\n        }\n      }\n      releaseFor(country: $country) {\n        matchedCountry\n        release {\n          country\n          date\n        }\n      }\n      citations {\n        source {\n          title\n          url\n          publishedOn\n        }\n      }\n    }\n  }\n": typeof types.FilmPageDocument,
};
const documents: Documents = {
    "\n  query FilmPage($slug: String!, $country: CountryCode!) {\n    film(slug: $slug) {\n      id\n      title\n      year\n      runtimeMinutes\n      updatedAt\n      cast {\n        billingOrder\n        character\n        person {\n          name\n        }\n      }\n      releaseFor(country: $country) {\n        matchedCountry\n        release {\n          country\n          date\n        }\n      }\n      citations {\n        source {\n          title\n          url\n          publishedOn\n        }\n      }\n    }\n  }\n": types.FilmPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilmPage($slug: String!, $country: CountryCode!) {\n    film(slug: $slug) {\n      id\n      title\n      year\n      runtimeMinutes\n      updatedAt\n      cast {\n        billingOrder\n        character\n        person {\n          name\n        }\n      }\n      releaseFor(country: $country) {\n        matchedCountry\n        release {\n          country\n          date\n        }\n      }\n      citations {\n        source {\n          title\n          url\n          publishedOn\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FilmPage($slug: String!, $country: CountryCode!) {\n    film(slug: $slug) {\n      id\n      title\n      year\n      runtimeMinutes\n      updatedAt\n      cast {\n        billingOrder\n        character\n        person {\n          name\n        }\n      }\n      releaseFor(country: $country) {\n        matchedCountry\n        release {\n          country\n          date\n        }\n      }\n      citations {\n        source {\n          title\n          url\n          publishedOn\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;