// The web client's build (npm run web:build, web/build.mjs) and dev server (npm run web:dev).
// The dev server proxies the API's paths to a running server (CINEGRAPH_API, default
// http://localhost:4000), so the app talks to the same origin in development and in production.
import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

const api = process.env.CINEGRAPH_API ?? 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
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
