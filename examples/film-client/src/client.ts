import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLClient } from 'graphql-request';
import { FilmPageQuery } from './documents.ts';
import type { FilmPageQuery as FilmPage, FilmPageQueryVariables } from './gql/graphql.ts';

export class GraphQLResponseError extends Error {
  override name = 'GraphQLResponseError';
  constructor(
    readonly status: number,
    readonly errors: { message: string; extensions?: { code?: string } }[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }
}

/** What a persisted GET returns: the typed data and the HTTP caching headers it came with. */
export interface PersistedResult<T> {
  data: T;
  status: number;
  etag: string | null;
  cacheControl: string | null;
}

/**
 * Runs a persisted document by GET: `?documentId=sha256:<hex>&variables=…`, no query text. The id
 * is the one codegen put in the document's `__meta__.hash` (and in persisted-documents.json, the
 * server's TRUSTED_DOCUMENTS). A GET like this is cacheable by the browser and any CDN.
 */
export async function persistedGet<TResult, TVariables extends Record<string, unknown>>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Promise<PersistedResult<TResult>> {
  const id = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!id) throw new Error('this document has no persisted id: generate it with persistedDocuments in codegen.ts');
  const url = new URL(endpoint);
  url.searchParams.set('documentId', id);
  url.searchParams.set('variables', JSON.stringify(variables));
  const response = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...headers } });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLResponseError['errors'] };
  if (body.errors?.length || !body.data) throw new GraphQLResponseError(response.status, body.errors ?? []);
  return { data: body.data, status: response.status, etag: response.headers.get('etag'), cacheControl: response.headers.get('cache-control') };
}

/** The film page over graphql-request (POST with the document's text): for development servers, where any query runs. */
export function fetchFilmPage(endpoint: string, variables: FilmPageQueryVariables): Promise<FilmPage> {
  return new GraphQLClient(endpoint).request(FilmPageQuery, variables);
}

/** The same page as a persisted GET (production servers with TRUSTED_DOCUMENTS, or any server once the document is registered). */
export function fetchFilmPagePersisted(endpoint: string, variables: FilmPageQueryVariables): Promise<PersistedResult<FilmPage>> {
  return persistedGet(endpoint, FilmPageQuery, variables);
}

type Film = NonNullable<FilmPage['film']>;

/**
 * Plain lines about a film, using the generated types as a front end would: arithmetic on
 * `billingOrder` and `runtimeMinutes` type-checks because NonNegativeInt is mapped to number, the
 * release date is a "YYYY-MM-DD" string and `url` a string that `new URL` takes.
 */
export function describeFilm(film: Film): string[] {
  const billed = film.cast
    .filter((credit) => credit.billingOrder !== null && credit.billingOrder !== undefined)
    .sort((a, b) => a.billingOrder! - b.billingOrder!)
    .map((credit) => `#${credit.billingOrder} ${credit.person.name}${credit.character ? ` as ${credit.character}` : ''}`);
  const release = film.releaseFor?.release;
  const runtime: number | null | undefined = film.runtimeMinutes;
  const sources = new Set(film.citations.flatMap((citation) => (citation.source.url ? [new URL(citation.source.url).hostname] : [])));
  return [
    `${film.title}${film.year ? ` (${film.year})` : ''}${runtime ? `, ${Math.floor(runtime / 60)} h ${runtime % 60} min` : ''}`,
    ...(release ? [`released ${release.date.slice(0, 4)} in ${release.country}${film.releaseFor?.matchedCountry ? '' : ' (first release anywhere)'}`] : []),
    ...billed,
    `updated ${new Date(film.updatedAt).toISOString().slice(0, 10)}`,
    ...(sources.size ? [`sources: ${[...sources].sort().join(', ')}`] : []),
  ];
}
