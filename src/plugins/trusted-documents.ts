import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, createLRUCache, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/** A manifest of trusted documents: id (hash) → document, as GraphQL codegen's client preset writes with `persistedDocuments`. */
export type TrustedDocuments = ReadonlyMap<string, string>;

export class TrustedDocumentsError extends Error {
  override name = 'TrustedDocumentsError';
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
  const entries = Object.entries(parsed);
  const bad = entries.find(([, document]) => typeof document !== 'string' || document.trim() === '');
  if (bad) throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS: the entry "${bad[0]}" in ${path} is not a document string`);
  return new Map(entries as [string, string][]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Apollo's `extensions.persistedQuery.sha256Hash` (APQ and Apollo persisted queries). */
function persistedQueryHash(params: GraphQLParams): string | undefined {
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/** `documentId` (GraphQL-over-HTTP persisted documents, codegen client preset), else the APQ hash. */
function documentId(params: GraphQLParams): string | null {
  const id = (params as GraphQLParams & { documentId?: unknown }).documentId;
  return typeof id === 'string' ? id : (persistedQueryHash(params) ?? null);
}

const notFound = { message: 'PersistedQueryNotFound', extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, http: { status: 404 } } };

/** Production front ends: only documents of the manifest run, by id; any other document is refused. */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  const onlyPersisted = {
    message: 'Only trusted documents are accepted here: send `documentId` (or extensions.persistedQuery.sha256Hash) of a document in the manifest.',
    extensions: { code: ErrorCode.PERSISTED_QUERY_ONLY, http: { status: 400 } },
  };
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: documentId,
    allowArbitraryOperations: false,
    customErrors: { notFound, persistedQueryOnly: onlyPersisted, keyNotFound: onlyPersisted },
  });
}

/**
 * Automatic persisted queries (Apollo's protocol): a request with only a hash runs the document
 * registered under it, or gets PersistedQueryNotFound so the client retries with the query; a
 * request with both registers it after checking the hash. Registrations live in a per-process
 * LRU of `maxEntries` documents (each already within MAX_DOCUMENT_BYTES).
 */
export function useAutomaticPersistedQueries({ maxEntries }: { maxEntries: number }): Plugin[] {
  const store = createLRUCache<string>({ max: maxEntries });
  const lookup = usePersistedOperations({
    getPersistedOperation: (hash) => store.get(hash.toLowerCase()) ?? null,
    allowArbitraryOperations: true,
    customErrors: { notFound },
  });
  const register: Plugin = {
    onParams({ params }) {
      const hash = persistedQueryHash(params);
      if (!hash || typeof params.query !== 'string') return;
      if (sha256(params.query) !== hash.toLowerCase()) {
        throw createGraphQLError('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent.', {
          extensions: { code: ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, http: { status: 400 } },
        });
      }
      store.set(hash.toLowerCase(), params.query);
    },
  };
  // Requests without a hash are ordinary requests: keep the library's "no id" error out of their way.
  const lookupOnlyHashed: Plugin = {
    onParams(payload) {
      if (persistedQueryHash(payload.params) === undefined) return;
      return lookup.onParams?.(payload);
    },
  };
  return [register, lookupOnlyHashed];
}
