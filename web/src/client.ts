import { persistedExchange } from '@urql/exchange-persisted';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { takePreloaded } from './preload.ts';

/** The document id codegen's client preset stamps on each document (`sha256:<hex>`, the manifest's key). */
export function documentId(document: unknown): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('A GraphQL document without its persisted id: run npm run web:codegen.');
  return hash;
}

/**
 * The app's GraphQL client. In production builds every operation is persisted: only its id
 * (from the manifest the build ships to the server) is sent, queries by GET so the browser and
 * any CDN can cache them, and no document text ever leaves the page. The dev server sends the
 * text, so queries can change without a rebuild. The page's first query may already be on its way,
 * sent by index.html's inline script (preload.ts): its response is used instead of a second request.
 */
export function createClient(): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: 'within-url-limit',
    requestPolicy: 'cache-first',
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return takePreloaded(url, init?.method) ?? fetch(input, init);
    },
    exchanges: [
      cacheExchange,
      ...(import.meta.env.PROD
        ? [
            persistedExchange({
              enforcePersistedQueries: true,
              enableForMutation: true,
              preferGetForPersistedQueries: 'within-url-limit',
              generateHash: async (_query, document) => documentId(document),
            }),
          ]
        : []),
      fetchExchange,
    ],
  });
}
