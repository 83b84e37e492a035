import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { ANONYMOUS, resolveIdentity } from './auth/identity.ts';
import { ApiKeys } from './auth/keys.ts';
import { configSchema, type Config } from './config.ts';
import type { Context } from './context.ts';
import type { DatabaseKind, PoolStats } from './db/client.ts';
import type { ReadRouting } from './db/replicas.ts';
import { WriteGate } from './db/gate.ts';
import { databaseReadiness } from './db/readiness.ts';
import { WriteEvents } from './events.ts';
import { LiveHub } from './live/hub.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Logger } from './logger.ts';
import { CursorCodec } from './pagination/cursor.ts';
import { createMetrics } from './plugins/metrics/metrics.ts';
import { createResponseCache, type ResponseCacheOptions } from './plugins/response-cache/response-cache.ts';
import { useStreamedBodyLimit } from './plugins/limits/body-limit.ts';
import { useCompiledExecution } from './plugins/compiled/execution.ts';
import { usePlanCache } from './plugins/compiled/plan-cache.ts';
import { useCors } from './plugins/cors.ts';
import { useCost } from './plugins/cost/cost.ts';
import { useHttpCache } from './plugins/http-cache.ts';
import { maskError, useErrorCodes } from './plugins/error-codes.ts';
import { useIdentity } from './plugins/identity.ts';
import { useLimits } from './plugins/limits/limits.ts';
import { useLiveSse } from './plugins/live/sse.ts';
import { useReadReplicas } from './plugins/read-replicas.ts';
import { createRateLimitStore, ipClientIdentifier, useRateLimit, type RateLimitStore } from './plugins/rate-limit.ts';
import { requestState } from './plugins/request-state.ts';
import { useRequestFormat } from './plugins/request-format.ts';
import { useRequestLog } from './plugins/request-log.ts';
import { useSelectionLimit } from './plugins/limits/selection-limit.ts';
import { useStringInputCheck } from './plugins/string-input.ts';
import { useAutomaticPersistedQueries, useTrustedDocuments, type TrustedDocuments } from './plugins/trusted-documents.ts';
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
  /** ADMIN_TOKEN: a bearer token with every scope (the bootstrap for the first API key). */
  adminToken?: string | undefined;
  /** READ_REQUIRES_KEY: query fields need a key with the `read` scope (default false: reads are public). */
  readRequiresKey?: boolean;
  /** The post-commit hook of writes (live updates subscribe to it); one of its own when absent. */
  events?: WriteEvents;
  /** The shared response cache for anonymous reads; off when absent (tests opt in). */
  responseCache?: Omit<ResponseCacheOptions, 'onLookup' | 'onStoreError'> | undefined;
  /**
   * GRAPHQL_JIT: run hot query documents compiled with graphql-jit (plugins/compiled/execution.ts);
   * false: every operation on graphql-js.
   */
  jit?: boolean;
  /** GRAPHQL_JIT_AFTER: executions of a query document before it runs compiled (1: from the first; documents named by id always from the first). */
  jitAfter?: number;
  /**
   * SQL_EXECUTION: a hot query document whose every field the schema can express in SQL is
   * answered by one statement that builds its JSON (plugins/compiled/sql); default true (with `jit`).
   */
  sql?: boolean;
  /**
   * PLAN_CACHE: reuse the Prisma plugin's selection plan of a field across requests of the same
   * document and nested variables (plugins/compiled/plan-cache.ts); default true, false plans per request.
   */
  planCache?: boolean;
  /** For /metrics: which engine, and the PostgreSQL pool's counts. */
  database?: { kind: DatabaseKind; poolStats?: (() => PoolStats) | undefined };
  /** Read replicas (DATABASE_REPLICA_URLS): which client each operation uses; all on `prisma` when absent. */
  readRouting?: ReadRouting<PrismaClient> | undefined;
  /** Prometheus metrics and /metrics (default true); false only to measure what they cost (bench/fixed-cost.ts). */
  metrics?: boolean;
  /** CPU, memory and event-loop metrics on /metrics (the server turns them on). */
  processMetrics?: boolean;
  /** METRICS_MAX_OPERATIONS: operation names labelled on /metrics before the rest count as "other" (default 100). */
  metricsMaxOperations?: number;
  /** Abuse limits, cost and rate limit (config keys); unset keys take the config defaults. */
  guard?: Partial<GuardConfig>;
  /** Shared rate-limit budget (Redis or memory); a memory store of `guard`'s size when absent. */
  rateLimitStore?: RateLimitStore;
  /** Trusted-documents mode: only these documents run (APQ is then off). */
  trustedDocuments?: TrustedDocuments;
  /**
   * The served web client's operations (its build's manifest): with `trustedDocuments` they join the
   * trusted set; without, they are registered persisted queries from the start (the site sends ids only).
   */
  siteDocuments?: TrustedDocuments;
  /**
   * The live-subscription hub; one of its own when absent, signalled by `events` (in process).
   * index.ts passes one that other instances signal too (live/transport.ts).
   */
  live?: LiveHub;
  /** Live-update settings (config keys); unset keys take the config defaults. */
  liveConfig?: Partial<LiveConfig>;
}

export type LiveConfig = Pick<Config, 'LIVE_MAX_SUBSCRIPTIONS' | 'LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT' | 'LIVE_HEARTBEAT_SECONDS' | 'LIVE_POLL_SECONDS'>;

/** The live hub of a server: the feed is read on each commit this process makes (events) and every `pollSeconds`. */
export function createLiveHub(options: { prisma: PrismaClient; logger: Logger; events: WriteEvents; config?: Partial<LiveConfig> }): LiveHub {
  const config = { ...configSchema.parse({}), ...options.config };
  const hub = new LiveHub({
    prisma: options.prisma,
    logger: options.logger,
    maxSubscriptions: config.LIVE_MAX_SUBSCRIPTIONS,
    maxSubscriptionsPerClient: config.LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT,
    pollMs: config.LIVE_POLL_SECONDS * 1000,
  });
  options.events.subscribe((change) => hub.signal(change.revisions.at(-1)?.id));
  return hub;
}

export type GuardConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'MAX_DEPTH'
  | 'MAX_ALIASES'
  | 'MAX_TOKENS'
  | 'MAX_DIRECTIVES'
  | 'MAX_SELECTIONS'
  | 'MAX_DOCUMENT_BYTES'
  | 'MAX_BODY_BYTES'
  | 'MAX_COST'
  | 'RATE_LIMIT_ENABLED'
  | 'RATE_LIMIT_POINTS'
  | 'RATE_LIMIT_WINDOW_SECONDS'
  | 'RATE_LIMIT_KEY_PREFIX'
  | 'TRUST_PROXY'
  | 'APQ_CACHE_SIZE'
  | 'INTROSPECTION'
  | 'CORS_ORIGINS'
  | 'ALLOW_FORM_POSTS'
  | 'HTTP_CACHE_MAX_AGE_SECONDS'
  | 'HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS'
>;

/**
 * The abuse-control plugins, in the order they must run (each a later gate than the previous):
 * request id + log line → the caller's identity → admission charge of 1 rate-limit point (per key
 * or IP) → media type and content
 * coding → body size (Content-Length, then bytes read) and document size → trusted documents or
 * APQ → tokens (parse) → expanded size (before validation) → depth/aliases/directives (validation) → NUL and unpaired surrogates in
 * input strings → cost → charge of the rest of the cost. Before execution only the identity step
 * touches the database (one lookup, for a token in the API key format). Plugins that serve from or fill a response cache belong after this list, so a
 * cached answer is still limited and charged.
 */
function guardPlugins(guard: GuardConfig, options: YogaOptions, logger: Logger, identity: Plugin): Plugin[] {
  const store =
    options.rateLimitStore ??
    createRateLimitStore({ points: guard.RATE_LIMIT_POINTS, windowSeconds: guard.RATE_LIMIT_WINDOW_SECONDS, keyPrefix: guard.RATE_LIMIT_KEY_PREFIX, logger });
  const [sizes, armor] = useLimits({
    maxDepth: guard.MAX_DEPTH,
    maxAliases: guard.MAX_ALIASES,
    maxTokens: guard.MAX_TOKENS,
    maxDirectives: guard.MAX_DIRECTIVES,
    maxDocumentBytes: guard.MAX_DOCUMENT_BYTES,
    maxBodyBytes: guard.MAX_BODY_BYTES,
    maxCost: guard.MAX_COST,
    // One decision with introspection (config.ts INTROSPECTION): a hint reveals no more than
    // introspection does, and hiding hints while introspection is on protects nothing.
    hideSuggestions: !guard.INTROSPECTION,
  });
  const rateLimit = guard.RATE_LIMIT_ENABLED ? useRateLimit({ store, identify: ipClientIdentifier(guard.TRUST_PROXY) }) : undefined;
  const site = options.siteDocuments;
  const persisted = options.trustedDocuments
    ? [useTrustedDocuments(site ? new Map([...site, ...options.trustedDocuments]) : options.trustedDocuments)]
    : guard.APQ_CACHE_SIZE > 0 || site
      ? useAutomaticPersistedQueries({ maxEntries: guard.APQ_CACHE_SIZE, known: site })
      : [];
  return [
    useRequestLog({ logger }),
    // Before the admission charge: a request with a valid API key is charged to the key.
    identity,
    ...(rateLimit ? [rateLimit.admission] : []),
    useRequestFormat({ endpoint: GRAPHQL_ENDPOINT, allowForms: guard.ALLOW_FORM_POSTS }),
    sizes!,
    useStreamedBodyLimit({ maxBodyBytes: guard.MAX_BODY_BYTES }),
    ...persisted,
    useSelectionLimit({ maxSelections: guard.MAX_SELECTIONS }),
    ...(guard.INTROSPECTION ? [] : [useDisableIntrospection() as Plugin]),
    armor!,
    useStringInputCheck(),
    useCost({ maxCost: guard.MAX_COST }),
    ...(rateLimit ? [rateLimit.charge] : []),
  ];
}

/**
 * GraphiQL's page with its JavaScript, CSS and editor workers inlined from the package
 * (@graphql-yoga/render-graphiql) instead of yoga's default, which loads them from a CDN and so
 * shows a blank page offline. The page is ~9 MB of text: it is rendered once per set of options,
 * and the package (a 9 MB module) is imported on the first GraphiQL request, not at start-up
 * (production never serves GraphiQL).
 */
const graphiqlPages = new Map<string, Promise<string>>();
function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = graphiqlPages.get(key);
  if (page === undefined) {
    page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    graphiqlPages.set(key, page);
  }
  return page;
}

export type CinegraphYoga = YogaServerInstance<Record<string, unknown>, Context>;

const GRAPHQL_ENDPOINT = '/graphql';

export function createCinegraphYoga(options: YogaOptions): CinegraphYoga {
  const { prisma, logger, graphiql = true, isAcceptingTraffic = () => true, adminToken } = options;
  const cursors = new CursorCodec(options.cursorSecret);
  const keys = new ApiKeys(prisma);
  const events = options.events ?? new WriteEvents({ onError: (err) => logger.error({ err }, 'a listener of committed writes failed') });
  const readRequiresKey = options.readRequiresKey ?? false;
  const liveConfig = { ...configSchema.parse({}), ...options.liveConfig };
  const live = options.live ?? createLiveHub({ prisma, logger, events, config: liveConfig });
  // Half the PostgreSQL pool for writes, the rest stays free for reads; PGlite runs one transaction at a time anyway.
  const writes = new WriteGate(Math.floor((options.database?.poolStats?.().max ?? 2) / 2));
  const identity = useIdentity((request) => resolveIdentity(request.headers, { adminToken, keys }));
  const guard: GuardConfig = { ...configSchema.parse({}), ...options.guard };
  const databaseReady = databaseReadiness(prisma, logger);

  const metrics = createMetrics({
    engine: options.database?.kind,
    poolStats: options.database?.poolStats,
    processMetrics: options.processMetrics ?? false,
    maxOperations: options.metricsMaxOperations,
    trustedDocuments: options.trustedDocuments,
    // Late-bound: the cache is created after the metrics, which feed its lookups.
    responseCacheSize: () => responseCache?.size?.(),
  });
  const responseCache = options.responseCache
    ? createResponseCache({
        ...options.responseCache,
        onLookup: metrics.recordCacheLookup,
        onStoreError: (err, operation) => logger.error({ err, operation }, `response cache ${operation} failed; continuing without it`),
      })
    : undefined;

  // Order matters: metrics first, so their timings cover every later plugin; then the guard
  // plugins (request id/log → rate-limit admission → sizes → trusted documents/APQ → limits →
  // cost → rate-limit charge); then compiled execution and the response cache, so only requests
  // that passed the guards are served from it (and a cached answer is still limited and charged).
  const observe: Plugin<Context>[] = options.metrics === false ? [] : metrics.plugins;
  const serve: Plugin<Context>[] = [
    ...(options.readRouting ? [useReadReplicas(options.readRouting)] : []),
    ...(options.planCache === false ? [] : [usePlanCache<Context>()]),
    // Before the response cache: it wraps the execute function it finds (to tag the entities of
    // a result), and graphql-jit replaces the function outright, so after it the cache would be
    // bypassed for every compiled execution (tests/plugins/compiled/response-cache.test.ts).
    ...(options.jit ? useCompiledExecution<Context>({ after: options.jitAfter, sql: options.sql }) : []),
    ...(responseCache?.plugins ?? []),
  ];

  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: ({ request }) => ({
      prisma,
      cursors,
      // Resolved in onParams (plugins/identity.ts), which runs before every execution.
      identity: requestState(request).identity ?? ANONYMOUS,
      readRequiresKey,
      keys,
      idempotencyKey: request.headers.get('idempotency-key'),
      events,
      writes,
      written: [],
      live,
      request,
    }),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: graphiql ? { title: 'Cinegraph' } : false,
    renderGraphiQL: renderOfflineGraphiQL,
    // Ours (plugins/cors.ts): yoga's reflects any origin with credentials.
    cors: false,
    // Ours counts a chunked body's bytes as they are read, and only a chunked one
    // (plugins/limits/body-limit.ts); yoga's counted every body through a stream pipeline.
    maxRequestBodySize: false,
    // Form and multipart bodies are refused unless ALLOW_FORM_POSTS (plugins/request-format.ts).
    multipart: guard.ALLOW_FORM_POSTS,
    // Parsed documents, parse errors and validation results are cached by yoga (LRU, 1024
    // documents, 1 h); the default is kept and documented in docs/caching.md#parser-and-validation-caches.
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
      // First, so every response (refusals and preflights included) carries the CORS headers.
      useCors({ origins: guard.CORS_ORIGINS }),
      ...observe,
      ...guardPlugins(guard, options, logger, identity),
      useErrorCodes(),
      useHttpCache({ maxAgeSeconds: guard.HTTP_CACHE_MAX_AGE_SECONDS, staleWhileRevalidateSeconds: guard.HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS }),
      useLiveSse({ heartbeatMs: liveConfig.LIVE_HEARTBEAT_SECONDS * 1000 }),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => isAcceptingTraffic() && (await databaseReady()),
      }),
      ...serve,
    ],
  });
}
