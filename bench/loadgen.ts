import autocannon from 'autocannon';
import type { Request } from './scenarios.ts';
import { summarize, summarizeRss, type LatencySummary, type RssSummary } from './stats.ts';
import { sampleRss } from './systems.ts';

/**
 * A pool of requests taken in turn, wrapping at the end. One rotation serves every run of a
 * scenario on a system (warm-up, the connection counts, the 70% step), so a measured run
 * continues where the previous one stopped instead of replaying the requests its warm-up just
 * made (which a response cache would then answer).
 */
export class Rotation {
  private index = 0;
  constructor(readonly pool: readonly Request[]) {
    if (pool.length === 0) throw new Error('empty request pool');
  }
  next(): Request {
    return this.pool[this.index++ % this.pool.length]!;
  }
}

export interface LoadOptions {
  baseUrl: string;
  /** A plain pool starts from its first request; a Rotation continues where it was left. */
  pool: Request[] | Rotation;
  connections: number;
  durationSeconds: number;
  /** Fixed overall request rate (req/s) for the latency-at-70%-load step. */
  overallRate?: number;
  /** Sample this process's RSS every `rssEveryMs` while loading. */
  pid?: number;
  rssEveryMs?: number;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  rps: number;
  latencyMs: LatencySummary;
  errors: number;
  timeouts: number;
  non2xx: number;
  rss: RssSummary | null;
  rssSamples: number[];
}

/**
 * One autocannon run over a rotating pool of requests (successive requests ask for different
 * films; see Rotation). Latency percentiles are computed from every
 * response (autocannon's own summary has no p95).
 */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const rotation = opts.pool instanceof Rotation ? opts.pool : new Rotation(opts.pool);
  // autocannon's instance is an EventEmitter and a thenable; its types only know the promise.
  const instance = autocannon({
    url: opts.baseUrl,
    connections: opts.connections,
    duration: opts.durationSeconds,
    ...(opts.overallRate ? { overallRate: Math.max(1, Math.round(opts.overallRate)) } : {}),
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => {
          const r = rotation.next();
          return r.method === 'POST'
            ? { ...req, method: 'POST', path: r.path, body: r.body, headers: { 'content-type': 'application/json' } }
            : { ...req, method: 'GET', path: r.path };
        },
      },
    ],
  }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  const latencies: number[] = [];
  (instance as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const rss = sampleRss(opts.pid, opts.rssEveryMs ?? 1000);
  const result = await instance;
  const rssSamples = rss.stop();
  return {
    connections: opts.connections,
    durationSeconds: opts.durationSeconds,
    requests: result.requests.total,
    rps: Math.round((result.requests.total / result.duration) * 10) / 10,
    latencyMs: summarize(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rss: summarizeRss(rssSamples, (opts.rssEveryMs ?? 1000) / 1000),
    rssSamples: rssSamples.map((v) => Math.round(v * 10) / 10),
  };
}
