// The web client's build (npm run web:build, web/build.mjs) and dev server (npm run web:dev).
// The dev server proxies the API's paths to a running server (CINEGRAPH_API, default
// http://localhost:4000), so the app talks to the same origin in development and in production.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react-swc';
import { defineConfig, type Plugin } from 'vite';
import { browserCountry } from './src/country.ts';
import { PRELOAD_ROUTES, preload, type PreloadEntry } from './src/preload.ts';

const api = process.env.CINEGRAPH_API ?? 'http://localhost:4000';

/**
 * Puts src/preload.ts's `preload` into index.html as an inline script, with the persisted ids of
 * the pages' queries read from codegen's manifest (production builds only: the dev server sends
 * document text, not ids).
 */
const MARKER = '<!-- preload: the page query, started by web/src/preload.ts -->';

function preloadQueries(): Plugin {
  return {
    name: 'cinegraph-preload-queries',
    apply: 'build',
    // In place of index.html's marker, after the charset and title and before the stylesheet (a
    // script after a stylesheet waits for it).
    transformIndexHtml(html) {
      const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, 'src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
      const entries: PreloadEntry[] = PRELOAD_ROUTES.map((route) => {
        const id = Object.keys(manifest).find((key) => new RegExp(`\\bquery ${route.operationName}\\b`).test(manifest[key]!));
        if (!id) throw new Error(`web: no persisted document for the query ${route.operationName} (run npm run web:codegen)`);
        return { ...route, id };
      });
      if (!html.includes(MARKER)) throw new Error(`web: index.html lacks the marker ${MARKER}`);
      return html.replace(MARKER, `<script>(${preload.toString()})(${JSON.stringify(entries)}, ${browserCountry.toString()});</script>`);
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), preloadQueries()],
  server: {
    proxy: { '/graphql': { target: api, changeOrigin: true }, '/health': api, '/ready': api },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers of the last two years: no legacy transforms, the smallest bundle.
    target: 'es2022',
    reportCompressedSize: false,
  },
});
