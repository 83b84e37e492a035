import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { loadSite, type Site } from '../../src/web/site.ts';
import { createCinegraphYoga, type YogaOptions } from '../../src/yoga.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const WEB_DIST = path.join(ROOT, 'web/dist');

/** Builds the web client when web/dist is missing or older than its sources (web/build.mjs --if-stale). */
export function buildSite(): Site {
  execFileSync(process.execPath, [path.join(ROOT, 'web/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const site = loadSite(WEB_DIST);
  if (!site) throw new Error('web/build.mjs did not produce web/dist');
  return site;
}

export interface SiteServer {
  db: TestDatabase;
  site: Site;
  /** http://127.0.0.1:<port> */
  base: string;
}

/**
 * The site and the API on one real HTTP server, as src/index.ts composes them, for a describe
 * block. Options go to the yoga instance (e.g. `trustedDocuments: new Map()` for production's
 * persisted-only mode, where only the site's own documents run).
 */
export function useSiteServer(options: Partial<Omit<YogaOptions, 'prisma' | 'logger' | 'siteDocuments'>> = {}): SiteServer {
  const api = {} as SiteServer;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    api.site = buildSite();
    api.db = await createTestDatabase();
    // Executed as the server executes by default (src/index.ts from src/config.ts), not as the
    // factory's own defaults: with compiled execution off here, the source page's 400 under
    // graphql-jit (29f58e2) passed every browser test while production answered it with an error.
    const defaults = loadConfig({});
    const yoga = createCinegraphYoga({
      prisma: api.db.prisma,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      siteDocuments: api.site.documents,
      jit: defaults.GRAPHQL_JIT,
      jitAfter: defaults.GRAPHQL_JIT_AFTER,
      planCache: defaults.PLAN_CACHE,
      ...options,
    });
    const server = createServer((req, res) => api.site.handle(req, res, () => void yoga(req, res)));
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    api.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  });
  afterAll(async () => {
    await close?.();
    await api.db?.close();
  });
  return api;
}
