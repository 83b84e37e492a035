import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, createLRUCache, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/**
 * A manifest of trusted documents, id → document, as GraphQL codegen's client preset writes it with
 * `persistedDocuments` (keys `sha256:<hex>`, or bare hex with another hashAlgorithm) and Relay's
 * compiler with `persistConfig.file` (keys bare md5 or sha256 hex); ids normalized by `normalizeDocumentId`.
 */
export type TrustedDocuments = ReadonlyMap<string, string>;

export class TrustedDocumentsError extends Error {
  override name = 'TrustedDocumentsError';
}

/**
 * One spelling per id: a `sha256:` prefix (the GraphQL-over-HTTP persisted-documents appendix,
 * codegen's default) is dropped and hex is lower-cased, so `sha256:ABC…`, `abc…` and the APQ
 * hash of the same document all name one entry. Ids that are not hex are kept as they are.
 */
export function normalizeDocumentId(id: string): string {
  const trimmed = id.trim();
  const hex = /^(?:sha256:)?([0-9a-f]+)$/i.exec(trimmed);
  return hex ? hex[1]!.toLowerCase() : trimmed;
}

/** Reads a JSON manifest `{ "<id>": "<document>", … }`; throws TrustedDocumentsError naming the problem. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: ${path} must hold a JSON object of id → document`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || document.trim() === '') {
      throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: the entry "${id}" in ${path} is not a document string`);
    }
    // An id that says it is a SHA-256 must be one: a mismatch means the manifest was edited by hand or built from other documents.
    if (/^sha256:/i.test(id) && normalizeDocumentId(id) !== sha256(document)) {
      throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: the entry "${id}" in ${path} is not the SHA-256 of its document`);
    }
    const key = normalizeDocumentId(id);
    if (documents.has(key) && documents.get(key) !== document) {
      throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: the id "${id}" in ${path} names two different documents`);
    }
    documents.set(key, document);
  }
  return documents;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Apollo's `extensions.persistedQuery.sha256Hash` (APQ and Apollo persisted queries). */
function persistedQueryHash(params: GraphQLParams): string | undefined {
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/** The two names a document id travels under: `documentId` (GraphQL over HTTP, codegen) and `doc_id` (Relay's convention). */
const ID_PARAMETERS = ['documentId', 'doc_id'] as const;

/**
 * The id of the persisted document a request names, normalized: `documentId` or `doc_id` in a
 * JSON body or in the query string of a GET (yoga's GET parser keeps only query, variables,
 * operationName and extensions, so the URL is read here), else the APQ hash.
 */
export function requestedDocumentId(params: GraphQLParams, request: Request): string | undefined {
  const body = params as GraphQLParams & Partial<Record<(typeof ID_PARAMETERS)[number], unknown>>;
  const search = request.method === 'GET' ? new URL(request.url).searchParams : undefined;
  for (const name of ID_PARAMETERS) {
    const id = body[name] ?? search?.get(name);
    if (typeof id === 'string' && id.trim() !== '') return normalizeDocumentId(id);
  }
  const hash = persistedQueryHash(params);
  return hash === undefined ? undefined : normalizeDocumentId(hash);
}

const notFound = { message: 'PersistedQueryNotFound', extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, http: { status: 404 } } };

/** Production front ends: only documents of the manifest run, by id; any other document is refused. */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  const onlyPersisted = {
    message:
      'Only trusted documents are accepted here: send `documentId` (or `doc_id`, or extensions.persistedQuery.sha256Hash) of a document in the manifest.',
    extensions: { code: ErrorCode.PERSISTED_QUERY_ONLY, http: { status: 400 } },
  };
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: (params, request) => requestedDocumentId(params, request) ?? null,
    allowArbitraryOperations: false,
    customErrors: { notFound, persistedQueryOnly: onlyPersisted, keyNotFound: onlyPersisted },
  });
}

/**
 * Automatic persisted queries (Apollo's protocol): a request with only a hash runs the document
 * registered under it, or gets PersistedQueryNotFound so the client retries with the query; a
 * request with both registers it after checking the hash; `known` documents are registered from the start. Registrations live in a per-process
 * LRU of `maxEntries` documents (each already within MAX_DOCUMENT_BYTES). `documentId`/`doc_id`
 * holding a SHA-256 (prefixed or not) work like the APQ hash, so a codegen client works here too.
 */
export function useAutomaticPersistedQueries({ maxEntries, known }: { maxEntries: number; known?: TrustedDocuments | undefined }): Plugin[] {
  // No store with APQ off (APQ_CACHE_SIZE=0): only `known` documents are served by id.
  const store = maxEntries > 0 ? createLRUCache<string>({ max: maxEntries }) : undefined;
  const lookup = usePersistedOperations({
    // `known` (the web client's manifest) is registered for good: the site sends ids only and never retries with the text.
    getPersistedOperation: (id) => known?.get(id) ?? store?.get(id) ?? null,
    extractPersistedOperationId: (params, request) => requestedDocumentId(params, request) ?? null,
    allowArbitraryOperations: true,
    customErrors: { notFound },
  });
  const register: Plugin = {
    onParams({ params, request, setParams }) {
      const id = requestedDocumentId(params, request);
      if (!store || id === undefined || typeof params.query !== 'string') return;
      if (sha256(params.query) !== id) {
        throw createGraphQLError('The document id (documentId, doc_id or extensions.persistedQuery.sha256Hash) is not the SHA-256 of the query sent.', {
          extensions: { code: ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, http: { status: 400 } },
        });
      }
      store.set(id, params.query);
      // Yoga refuses parameters it does not know: the id has done its work once the query is registered.
      const { query, variables, operationName, extensions } = params;
      setParams({ query, variables, operationName, extensions });
    },
  };
  // Requests without an id are ordinary requests: keep the library's "no id" error out of their way.
  const lookupOnlyIdentified: Plugin = {
    onParams(payload) {
      if (requestedDocumentId(payload.params, payload.request) === undefined) return;
      return lookup.onParams?.(payload);
    },
  };
  return [register, lookupOnlyIdentified];
}
