import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { identify } from './auth.ts';
import type { Context } from './context.ts';
import type { DatabaseKind, PoolStats } from './db/client.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Logger } from './logger.ts';
import { CursorCodec } from './pagination/cursor.ts';
import { maskError, useErrorCodes } from './plugins/error-codes.ts';
import { createMetrics } from './plugins/metrics.ts';
import { createResponseCache, type ResponseCacheOptions } from './plugins/response-cache.ts';
import { schema } from './schema/index.ts';

export interface YogaOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql from a browser (default true; off in production). */
  graphiql?: boolean;
  /** False while shutting down, so /ready tells load balancers to stop sending traffic. */
  isAcceptingTraffic?: () => boolean;
  /** Key for keyset cursors (CURSOR_SECRET); instances sharing it accept each other's cursors. */
  cursorSecret?: string;
  /** Mutations need `Authorization: Bearer <adminToken>`; without one they are all refused. */
  adminToken?: string | undefined;
  /** The shared response cache for anonymous reads; off when absent (tests opt in). */
  responseCache?: Omit<ResponseCacheOptions, 'onLookup' | 'onStoreError'> | undefined;
  /** Execute with graphql-jit instead of graphql-js. */
  jit?: boolean;
  /** For /metrics: which engine, and the PostgreSQL pool's counts. */
  database?: { kind: DatabaseKind; poolStats?: (() => PoolStats) | undefined };
  /** CPU, memory and event-loop metrics on /metrics (the server turns them on). */
  processMetrics?: boolean;
}

export type CinegraphYoga = YogaServerInstance<Record<string, unknown>, Context>;

export function createCinegraphYoga(options: YogaOptions): CinegraphYoga {
  const { prisma, logger, graphiql = true, isAcceptingTraffic = () => true, adminToken } = options;
  const cursors = new CursorCodec(options.cursorSecret);

  const metrics = createMetrics({
    engine: options.database?.kind,
    poolStats: options.database?.poolStats,
    processMetrics: options.processMetrics ?? false,
  });
  const responseCache = options.responseCache
    ? createResponseCache({
        ...options.responseCache,
        onLookup: metrics.recordCacheLookup,
        onStoreError: (err, operation) => logger.error({ err, operation }, `response cache ${operation} failed; continuing without it`),
      })
    : undefined;

  // Production-hardening plugins, cache/metrics half. Order matters: metrics first, so their
  // timings cover every later plugin; then the guard plugins (request id/log → trusted
  // documents → limits → cost → rate limit); then the response cache, so only requests that
  // passed the guards are served from it; JIT last, since it replaces execution itself.
  const observe: Plugin<Context>[] = metrics.plugins;
  const serve: Plugin<Context>[] = [...(responseCache?.plugins ?? []), ...(options.jit ? [useGraphQlJit() as Plugin<Context>] : [])];

  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: ({ request }) => ({ prisma, cursors, identity: identify(request.headers, adminToken), written: [] }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: graphiql ? { title: 'Cinegraph' } : false,
    // Parsed documents, parse errors and validation results are cached by yoga (LRU, 1024
    // documents, 1 h); the default is kept and documented in README "Caching".
    parserAndValidationCache: true,
    // Yoga logs each masked (unexpected) error here, with its original error and stack.
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => {
        const err = args.find((a) => a instanceof Error);
        logger.error({ err: err instanceof GraphQLError ? (err.originalError ?? err) : err }, err ? err.message : args.map(String).join(' '));
      },
    },
    maskedErrors: { maskError },
    plugins: [
      useErrorCodes(),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          if (!isAcceptingTraffic()) return false;
          await prisma.$queryRaw`SELECT 1`;
          return true;
        },
      }),
      ...observe,
      // (guard plugins go here)
      ...serve,
    ],
  });
}
