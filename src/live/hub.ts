/** LiveHub: one per process; tails the change feed on every commit signal and fans its revisions out to the live subscriptions, within the subscription caps. */
import { createGraphQLError } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import type { PrismaClient, Revision } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';

export type RevisionListener = (revision: Revision) => void;

export interface LiveHubOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** Concurrent subscriptions in this process (LIVE_MAX_SUBSCRIPTIONS). */
  maxSubscriptions: number;
  /** Concurrent subscriptions of one client (API key or IP) in this process (LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT). */
  maxSubscriptionsPerClient: number;
  /** Read the feed this often even without a signal (a lost notification costs at most this delay); 0: never. */
  pollMs?: number;
}

/** Rows read per feed query while catching up. */
const PAGE = 500;

/**
 * Why a hub rather than a pub/sub of payloads: a signal carries only a commit position; the hub
 * reads what committed from the change feed, which is complete and in commit order (ids are
 * drawn under the feed lock, schema/write/sql.ts). So a lost, duplicated or reordered signal
 * (Redis reconnecting, two NOTIFYs coalesced) can delay an event but never drop, repeat or
 * reorder one, and one feed query per commit serves every subscription of the process, however
 * many there are.
 */
export class LiveHub {
  readonly #prisma: PrismaClient;
  readonly #logger: Logger;
  readonly #options: LiveHubOptions;
  readonly #listeners = new Set<RevisionListener>();
  readonly #closers = new Set<() => void>();
  readonly #perClient = new Map<string, number>();
  #count = 0;
  /** Highest revision id read from the feed and fanned out; undefined until the first subscription. */
  #position: number | undefined;
  #starting: Promise<void> | undefined;
  /** A catch-up is running; `#again` asks for another once it ends (a signal arrived meanwhile). */
  #reading: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  /** Signals came while nobody listened: the position lags the feed. */
  #stale = false;
  #resync: Promise<void> | undefined;
  #closed = false;

  constructor(options: LiveHubOptions) {
    this.#prisma = options.prisma;
    this.#logger = options.logger;
    this.#options = options;
  }

  get subscriptions(): number {
    return this.#count;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Claim one subscription slot for `client`; TOO_MANY_SUBSCRIPTIONS when the process or the
   * client is at its cap, SERVICE_UNAVAILABLE while shutting down. Returns the release function.
   */
  admit(client: string): () => void {
    if (this.#closed) {
      throw createGraphQLError('The server is shutting down; reconnect (with your last cursor) to another instance.', {
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': '1' } } },
      });
    }
    const mine = this.#perClient.get(client) ?? 0;
    if (mine >= this.#options.maxSubscriptionsPerClient || this.#count >= this.#options.maxSubscriptions) {
      const perClient = mine >= this.#options.maxSubscriptionsPerClient;
      throw createGraphQLError(
        perClient
          ? `Too many subscriptions: this client already has ${mine} open (limit ${this.#options.maxSubscriptionsPerClient}). Close one first.`
          : `Too many subscriptions on this server (limit ${this.#options.maxSubscriptions}); retry shortly.`,
        {
          extensions: {
            code: ErrorCode.TOO_MANY_SUBSCRIPTIONS,
            limit: perClient ? this.#options.maxSubscriptionsPerClient : this.#options.maxSubscriptions,
            scope: perClient ? 'client' : 'server',
            http: { status: 429, headers: { 'Retry-After': '5' } },
          },
        },
      );
    }
    this.#perClient.set(client, mine + 1);
    this.#count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#count--;
      const left = (this.#perClient.get(client) ?? 1) - 1;
      if (left > 0) this.#perClient.set(client, left);
      else this.#perClient.delete(client);
    };
  }

  /**
   * Calls `listener` with every revision that commits from now on, in commit order; resolves
   * once the hub knows its starting position (so a backlog read afterwards overlaps the live
   * events rather than leaving a gap). Returns the function that unsubscribes.
   */
  async listen(listener: RevisionListener, onClose: () => void): Promise<() => void> {
    this.#listeners.add(listener);
    this.#closers.add(onClose);
    const stop = () => {
      this.#listeners.delete(listener);
      this.#closers.delete(onClose);
    };
    try {
      await this.#start();
      if (this.#stale) {
        // Nobody listened for a while, so the position stopped moving: skip to the feed's end.
        // Shared by concurrent callers, so none reads its backlog before the jump is done.
        this.#resync ??= this.#maxId()
          .then((max) => {
            this.#position = Math.max(this.#position ?? 0, max);
            this.#stale = false;
          })
          .finally(() => (this.#resync = undefined));
        await this.#resync;
      }
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  /** A write committed up to revision `position` (here or in another process): read the feed past our position. */
  signal(position = Number.POSITIVE_INFINITY): void {
    if (this.#closed || this.#position === undefined || position <= this.#position) return;
    if (this.#listeners.size === 0) {
      // Read no rows for no one; the next subscription resyncs the position first.
      this.#stale = true;
      return;
    }
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.#catchUp().finally(() => {
      this.#reading = undefined;
      if (this.#again) {
        this.#again = false;
        this.signal();
      }
    });
  }

  /** Wait for the catch-up in progress, if any (tests, the bench). */
  async idle(): Promise<void> {
    while (this.#reading) await this.#reading;
  }

  /** Shutdown: refuse new subscriptions and end every open one (their streams send `complete`). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const close of [...this.#closers]) close();
    this.#listeners.clear();
    this.#closers.clear();
  }

  #start(): Promise<void> {
    this.#starting ??= (async () => {
      this.#position ??= await this.#maxId();
      const pollMs = this.#options.pollMs ?? 0;
      if (pollMs > 0 && !this.#closed) {
        this.#timer = setInterval(() => this.signal(), pollMs);
        this.#timer.unref();
      }
    })().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #maxId(): Promise<number> {
    const { _max } = await this.#prisma.revision.aggregate({ _max: { id: true } });
    return _max.id ?? 0;
  }

  async #catchUp(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.#prisma.revision.findMany({ where: { id: { gt: this.#position! } }, orderBy: { id: 'asc' }, take: PAGE });
        for (const row of rows) {
          this.#position = row.id;
          for (const listener of this.#listeners) {
            try {
              listener(row);
            } catch (err) {
              this.#logger.error({ err }, 'a live subscription failed to take a revision');
            }
          }
        }
        if (rows.length < PAGE) return;
      }
    } catch (err) {
      // The next signal (or poll) retries from the same position: nothing is skipped.
      this.#logger.warn({ err }, 'reading the change feed for live subscriptions failed; retrying on the next signal');
    }
  }
}
