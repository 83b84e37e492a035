/**
 * The web client (web/, built into web/dist by web/build.mjs) served by the API process at `/`:
 * hashed assets cached for a year, precompressed (brotli, gzip) when the browser accepts it, and
 * every other path that is not the API's answered with index.html, where the client's router
 * takes over. The build's persisted-documents manifest comes with it: the server registers those
 * documents so the site can send ids only (docs/web.md).
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';
import { loadTrustedDocuments, type TrustedDocuments } from '../plugins/trusted-documents.ts';

export interface Site {
  dir: string;
  /** The site's operations, id → document, from the build's manifest. */
  documents: TrustedDocuments;
  /** Serves a GET or HEAD for the site; calls `next` for the API's own paths and other methods. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
}

/** Paths the API answers itself (graphql-yoga's endpoints and /metrics): never the site's. */
const API_PATHS = /^\/(graphql|health|ready|metrics)(\/|\?|$)/;

/** The built site in `dir`, or undefined when it has not been built (no index.html or manifest there). */
export function loadSite(dir: string): Site | undefined {
  const root = path.resolve(dir);
  const manifest = path.join(root, 'persisted-documents.json');
  if (!existsSync(path.join(root, 'index.html')) || !existsSync(manifest)) return undefined;
  const serve = sirv(root, {
    single: true,
    etag: true,
    gzip: true,
    brotli: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      // Vite names assets by content hash: a changed file is a new URL, so they never need revalidating.
      res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return {
    dir: root,
    documents: loadTrustedDocuments(manifest),
    handle(req, res, next) {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.url ?? '/')) {
        next();
        return;
      }
      serve(req, res, next);
    },
  };
}
