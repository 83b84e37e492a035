import autocannon from 'autocannon';
import type { Request } from './scenarios.ts';
import { summarize, summarizeRss, type LatencySummary, type RssSummary } from './stats.ts';
import { rssMiB } from './systems.ts';

export interface LoadOptions {
  baseUrl: string;
  pool: Request[];
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
 * One autocannon run over a rotating pool of requests (request i uses pool[i mod n], so
 * successive requests ask for different films). Latency percentiles are computed from every
 * response (autocannon's own summary has no p95).
 */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const pool = opts.pool;
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
          const r = pool[next++ % pool.length]!;
          return r.method === 'POST'
            ? { ...req, method: 'POST', path: r.path, body: r.body, headers: { 'content-type': 'application/json' } }
            : { ...req, method: 'GET', path: r.path };
        },
      },
    ],
  }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  const latencies: number[] = [];
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const rssSamples: number[] = [];
  const sample = () => {
    const v = opts.pid ? rssMiB(opts.pid) : null;
    if (v !== null) rssSamples.push(v);
  };
  sample();
  const timer = opts.pid ? setInterval(sample, opts.rssEveryMs ?? 1000) : undefined;
  const result = await instance;
  if (timer) clearInterval(timer);
  sample();
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
