import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { requestState, type RateLimitStatus } from './request-state.ts';

export interface RateLimitStoreOptions {
  points: number;
  windowSeconds: number;
  keyPrefix: string;
  redisUrl?: string | undefined;
  logger: Logger;
}

/** Cost points per client and window, shared by every instance through Redis when configured. */
export interface RateLimitStore {
  readonly points: number;
  readonly windowSeconds: number;
  readonly backend: 'redis' | 'memory';
  /** Spend `points` of `client`'s budget. Mutations and subscriptions can charge through this too. */
  charge(client: string, points: number): Promise<RateLimitStatus>;
  /** Resolves once Redis answers, or after `timeoutMs` (then charges use the memory fallback until it does). */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const WARN_INTERVAL_MS = 30_000;
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * With REDIS_URL the budget lives in Redis (all instances share it). While Redis is unreachable
 * each process falls back to its own in-memory budget of the same size (rate-limiter-flexible's
 * insurance limiter) and logs a warning at most every 30 s: reads stay available and still
 * limited, though per process rather than globally.
 */
export function createRateLimitStore(options: RateLimitStoreOptions): RateLimitStore {
  const { points, windowSeconds, keyPrefix, logger } = options;
  const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
  let limiter: RateLimiterAbstract = memory;
  let redis: Redis | undefined;
  let lastWarning = 0;
  const warn = (err: unknown) => {
    if (Date.now() - lastWarning < WARN_INTERVAL_MS) return;
    lastWarning = Date.now();
    logger.warn({ err }, 'rate-limit store (Redis) unavailable: limiting per process in memory until it is back');
  };
  const { redisUrl } = options;
  // ioredis is imported only with a Redis URL (a server without one never loads it: ~150 ms of
  // start-up); every method below waits for that import.
  const connecting = redisUrl
    ? import('ioredis').then(({ Redis: RedisClient }) => {
        redis = new RedisClient(redisUrl, {
          // Fail a charge at once while disconnected instead of queueing it behind a reconnect.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: CONNECT_TIMEOUT_MS,
          retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
        });
        redis.on('error', warn);
        limiter = new RateLimiterRedis({
          storeClient: redis,
          points,
          duration: windowSeconds,
          keyPrefix,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        });
      })
    : undefined;
  // A charge made while the first connection is still being set up (a store created by a test or
  // a job that did not wait for ready()) waits for its outcome: it then charges the shared budget
  // rather than silently taking the process's memory budget. Settled once: Redis answered, the
  // attempt failed or the connect timeout passed; later outages fall back at once.
  const firstConnection = connecting?.then(
    () =>
      new Promise<void>((resolve) => {
        const client = redis as Redis;
        const done = () => {
          clearTimeout(timer);
          for (const event of ['ready', 'error', 'end'] as const) client.off(event, done);
          resolve();
        };
        const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
        timer.unref();
        for (const event of ['ready', 'error', 'end'] as const) client.once(event, done);
      }),
  );
  const status = (res: RateLimiterRes, allowed: boolean): RateLimitStatus => ({
    limit: points,
    remaining: Math.max(0, res.remainingPoints),
    resetMs: Math.max(0, res.msBeforeNext),
    windowSeconds,
    allowed,
  });
  return {
    points,
    windowSeconds,
    backend: redisUrl ? 'redis' : 'memory',
    async charge(client, cost) {
      await firstConnection;
      if (redis && redis.status !== 'ready') warn(new Error(`Redis connection is ${redis.status}`));
      try {
        return status(await limiter.consume(client, Math.max(0, Math.ceil(cost))), true);
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return status(outcome, false);
        // Neither store answered (cannot happen with the memory insurance, but never fail a read on it).
        warn(outcome);
        return { limit: points, remaining: points, resetMs: windowSeconds * 1000, windowSeconds, allowed: true };
      }
    },
    async ready(timeoutMs = 2_000) {
      await connecting;
      if (!redis || redis.status === 'ready') return true;
      const client = redis;
      return new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
      });
    },
    async close() {
      await connecting;
      redis?.disconnect();
    },
  };
}

/** Who is charged for a request without a valid API key: its IP (plugins/identity.ts replaces it with `key:<id>` for a key). */
export type ClientIdentifier = (request: Request, serverContext: unknown) => string;

const normalizeIp = (ip: string) => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

/**
 * The client's IP: the socket's peer address, or with `trustProxy` = N proxies in front, the
 * address N hops back in X-Forwarded-For (the entry the outermost trusted proxy appended).
 * Without TRUST_PROXY the header is ignored, as any client can write it.
 */
export function ipClientIdentifier(trustProxy: number): ClientIdentifier {
  return (request, serverContext) => {
    const socketIp = (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket?.remoteAddress;
    let ip = socketIp;
    if (trustProxy > 0) {
      const forwarded = (request.headers.get('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      // The peer keeps its place at the end even when its address is unknown (a socket already
      // closed, an in-process request): without it the count would reach one entry further
      // back, to an address the client wrote itself.
      const chain = [...forwarded, socketIp];
      const candidate = chain[Math.max(0, chain.length - 1 - trustProxy)];
      if (candidate && isIP(normalizeIp(candidate))) ip = candidate;
    }
    return `ip:${ip ? normalizeIp(ip) : 'unknown'}`;
  };
}

function rateLimitedError(status: RateLimitStatus) {
  const retryAfter = Math.max(1, Math.ceil(status.resetMs / 1000));
  return createGraphQLError(`Rate limit exceeded: ${status.limit} cost points per ${status.windowSeconds} s. Retry after ${retryAfter} s.`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    },
  });
}

/**
 * Charges each request 1 point on arrival (so a client over budget is refused before its
 * document is even parsed) and the rest of the operation's requested cost before execution.
 * Reports `extensions.rateLimit { remaining, resetAt }` and the IETF draft RateLimit-* headers.
 */
export function useRateLimit({ store, identify }: { store: RateLimitStore; identify: ClientIdentifier }): { admission: Plugin; charge: Plugin } {
  const admission: Plugin = {
    onRequest({ request, serverContext }) {
      requestState(request).client = identify(request, serverContext);
    },
    async onParams({ request }) {
      const state = requestState(request);
      state.rateLimit = await store.charge(state.client, 1);
      if (!state.rateLimit.allowed) throw rateLimitedError(state.rateLimit);
    },
    onResultProcess({ request, result, setResult }) {
      const status = requestState(request).rateLimit;
      if (!status || Array.isArray(result) || isAsyncIterable(result)) return;
      const rateLimit = { limit: status.limit, remaining: status.remaining, resetAt: new Date(Date.now() + status.resetMs).toISOString() };
      setResult({ ...result, extensions: { ...result.extensions, rateLimit } });
    },
    onResponse({ request, response }) {
      const status = requestState(request).rateLimit;
      if (!status) return;
      response.headers.set('RateLimit-Limit', String(status.limit));
      response.headers.set('RateLimit-Remaining', String(status.remaining));
      response.headers.set('RateLimit-Reset', String(Math.ceil(status.resetMs / 1000)));
      response.headers.set('RateLimit-Policy', `${status.limit};w=${status.windowSeconds}`);
    },
  };
  // Runs after the cost plugin has priced the operation.
  const chargeRest = async ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (result: ExecutionResult) => void }) => {
    const request = (args.contextValue as { request?: Request }).request;
    if (!request) return;
    const state = requestState(request);
    const rest = (state.cost?.requested ?? 0) - 1;
    if (rest <= 0) return;
    state.rateLimit = await store.charge(state.client, rest);
    if (!state.rateLimit.allowed) setResultAndStopExecution({ errors: [rateLimitedError(state.rateLimit)] });
  };
  // A subscription is charged once, when it opens, like the query it resembles.
  const charge: Plugin = { onExecute: chargeRest, onSubscribe: chargeRest };
  return { admission, charge };
}
