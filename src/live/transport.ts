/** Commit signals between server instances: Redis pub/sub with REDIS_URL, else PostgreSQL LISTEN/NOTIFY, else none (embedded: one process). */
import type { Redis } from 'ioredis';
import type { WriteEvents } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { LiveHub } from './hub.ts';

export interface LiveTransport {
  readonly kind: 'redis' | 'postgres' | 'process';
  close(): Promise<void>;
}

export interface LiveTransportOptions {
  hub: LiveHub;
  events: WriteEvents;
  logger: Logger;
  /** LIVE_CHANNEL: the Redis channel or NOTIFY channel. */
  channel: string;
  redisUrl?: string | undefined;
  databaseUrl?: string | undefined;
}

/** What goes over the wire: the id of the last revision a write committed. Subscribers read the revisions themselves from the feed (hub.ts). */
interface Signal {
  position: number;
}

const positionOf = (detail: unknown): number | undefined => {
  const position = (detail as Partial<Signal> | null)?.position;
  return typeof position === 'number' && Number.isSafeInteger(position) ? position : undefined;
};

/**
 * Publishes each local commit's position to the other instances and signals the local hub with
 * theirs. The local hub already hears its own process's commits directly (yoga.ts
 * createLiveHub), so a signal coming back from the transport is a harmless repeat.
 */
export async function connectLiveTransport(options: LiveTransportOptions): Promise<LiveTransport> {
  if (options.redisUrl) return connectRedis(options, options.redisUrl);
  if (options.databaseUrl) return connectPostgres(options, options.databaseUrl);
  return { kind: 'process', close: async () => undefined };
}

async function connectRedis({ hub, events, logger, channel }: LiveTransportOptions, url: string): Promise<LiveTransport> {
  // A subscribed connection can do nothing else, hence two; ioredis resubscribes after a reconnect.
  // Imported on use: a server without REDIS_URL never loads ioredis (~150 ms of start-up, ~10 MiB).
  const [{ createRedisEventTarget }, { RedisClient }] = await Promise.all([
    import('@graphql-yoga/redis-event-target'),
    import('ioredis').then((m) => ({ RedisClient: m.Redis })),
  ]);
  const publisher = new RedisClient(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1 });
  const subscriber = new RedisClient(url, { lazyConnect: true, connectTimeout: 2_000 });
  const warn = (err: unknown) => logger.warn({ err }, 'live updates: Redis error (other instances catch up on the next signal or poll)');
  publisher.on('error', warn);
  subscriber.on('error', warn);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const target = createRedisEventTarget<CustomEvent<Signal>>({
    // A publish that fails (Redis down) is logged, never an unhandled rejection: the others' polls catch up.
    publishClient: { publish: (topic: string, message: string) => publisher.publish(topic, message).catch(warn) } as unknown as Redis,
    subscribeClient: subscriber,
  });
  const onSignal = (event: CustomEvent<Signal>) => hub.signal(positionOf(event.detail));
  target.addEventListener(channel, onSignal);
  // Commits made while the subscription was down were missed: read the feed once back.
  subscriber.on('ready', () => hub.signal());
  const unsubscribe = events.subscribe((change) => {
    const position = change.revisions.at(-1)?.id;
    if (position !== undefined) target.dispatchEvent(new CustomEvent(channel, { detail: { position } }));
  });
  return {
    kind: 'redis',
    async close() {
      unsubscribe();
      target.removeEventListener(channel, onSignal);
      await Promise.all([publisher.quit().catch(() => publisher.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}

async function connectPostgres({ hub, events, logger, channel }: LiveTransportOptions, url: string): Promise<LiveTransport> {
  // pg-listen keeps one dedicated connection outside the pool (LISTEN holds it), checks it every
  // 10 s and reconnects without giving up (retryTimeout 0), backing off to 5 s between attempts.
  // pg-listen is CommonJS with its function on `default`; imported on use, as ioredis above.
  const { default: pgListen } = await import('pg-listen');
  const subscriber = pgListen.default<Record<string, Signal>>(
    { connectionString: url },
    { paranoidChecking: 10_000, retryTimeout: 0, retryInterval: (attempt) => Math.min(250 * attempt, 5_000) },
  );
  subscriber.events.on('error', (err) => logger.warn({ err }, 'live updates: LISTEN connection error; reconnecting'));
  subscriber.events.on('reconnect', (attempt) => logger.info({ attempt }, 'live updates: LISTEN connection lost; reconnecting'));
  // After a reconnect, NOTIFYs sent while it was down are lost: read the feed once back.
  subscriber.events.on('connected', () => hub.signal());
  subscriber.notifications.on(channel, (payload: unknown) => hub.signal(positionOf(payload)));
  await subscriber.connect();
  await subscriber.listenTo(channel);
  const unsubscribe = events.subscribe((change) => {
    const position = change.revisions.at(-1)?.id;
    if (position === undefined) return;
    subscriber
      .notify(channel, { position })
      .catch((err: unknown) => logger.warn({ err }, 'live updates: NOTIFY failed (other instances catch up on their next poll)'));
  });
  return {
    kind: 'postgres',
    async close() {
      unsubscribe();
      await subscriber.close().catch((err: unknown) => logger.warn({ err }, 'live updates: closing the LISTEN connection failed'));
    },
  };
}
