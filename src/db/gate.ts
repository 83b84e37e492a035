/**
 * At most `slots` write transactions at a time per process; the rest wait here, in memory, for
 * up to `maxWaitMs`. Writes hold a pooled connection for several round trips and queue behind
 * the change feed's commit-order lock (schema/write/sql.ts): let every concurrent mutation take a
 * connection and they fill the pool, so reads wait past DB_CONNECT_TIMEOUT_MS and fail
 * (measured: 120 concurrent createFilm on a pool of 10 failed 90 of them and the reads beside
 * them with 503). Queued here, they cost no connection while they wait.
 * Hand-written: a counter and a FIFO of resolvers; the packages that do this (p-limit…) have no
 * bounded wait, which is the part that turns an overload into a clear, retryable error.
 */
export class WriteGate {
  readonly slots: number;
  readonly maxWaitMs: number;
  #busy = 0;
  readonly #queue: (() => void)[] = [];

  constructor(slots: number, maxWaitMs = 10_000) {
    this.slots = Math.max(1, slots);
    this.maxWaitMs = maxWaitMs;
  }

  /** Runs `fn` in a slot; rejects with WriteGateTimeout when none frees up within maxWaitMs. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.slots) await this.#wait();
    else this.#busy++;
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter, so #busy stays counted.
      if (next) next();
      else this.#busy--;
    }
  }

  #wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#queue.splice(this.#queue.indexOf(grant), 1);
        reject(new WriteGateTimeout(`No write slot freed up within ${this.maxWaitMs} ms.`));
      }, this.maxWaitMs);
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#queue.push(grant);
    });
  }
}

export class WriteGateTimeout extends Error {
  override name = 'WriteGateTimeout';
}
