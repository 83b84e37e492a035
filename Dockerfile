# syntax=docker/dockerfile:1
# Cinegraph API image. Runs the server compiled to JavaScript (dist/, `npm run build`: esbuild,
# a runtime dependency), so there is no separate build stage: the image holds production
# dependencies, the sources, the generated Prisma client and dist/. Without DATABASE_URL it serves the embedded database in /app/data;
# docker-compose.yml sets DATABASE_URL to its PostgreSQL service.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when the lockfile changes.
# --ignore-scripts: the root postinstall (Prisma generation) needs prisma/ and src/, which are
# not copied yet; generation runs below instead. Dependency install scripts are denied by
# package.json's allowScripts anyway, and everything works without them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

COPY . .

# Prisma client + Pothos types into src/generated/ (offline: see prisma/generate.mjs), then the
# server bundle in dist/ (scripts/build.mjs).
RUN node prisma/generate.mjs --force \
 && node scripts/build.mjs \
 && mkdir -p /app/data \
 && chown node:node /app/data

# The V8 heap limits `npm start` sets (package.json "config.nodeOptions", chosen by measurement:
# docs/operations.md#memory; tests/server/heap-limit.test.ts keeps the two equal). A container
# started with its own NODE_OPTIONS replaces them.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/app/data \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"

# Sources stay root-owned and read-only to the app; only the data folder is writable.
USER node

EXPOSE 4000

HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself is PID 1 (not via npm), so SIGTERM from `docker stop` reaches the server's
# graceful shutdown (src/index.ts) directly.
CMD ["node", "dist/index.js"]
