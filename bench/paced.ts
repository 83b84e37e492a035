import { Agent, request as httpRequest } from 'node:http';
import { Rotation } from './loadgen.ts';
import type { Request } from './scenarios.ts';
import { summarize, summarizeRss, type LatencySummary, type RssSummary } from './stats.ts';
import { sampleRss } from './systems.ts';

/**
 * An open-loop load at a fixed arrival rate, for "latency at N% of max rps".
 *
 * autocannon's `overallRate` cannot measure that: each connection sends back-to-back until it has
 * used its per-second quota, then waits for the next one-second tick (lib/httpClient.js,
 * `reqsMadeThisSecond`). At 70% of max rps the server therefore sees every connection at once
 * for the first ~70% of each second and nothing for the rest, so its p99 is the queueing delay
 * of a saturated server, not of one at 70%. Here request k is due at start + k / rate
 * (evenly spaced, as wrk2 and k6's constant-arrival-rate do), requests go out over at most
 * `connections` keep-alive sockets (a due request waits for a free one), and each latency is
 * measured from when the request was due, not from when a socket took it, so a stalled server
 * cannot hide its backlog (no coordinated omission). Hand-written because none of the load
 * tools on npm that we can install offers both an even arrival schedule and that correction.
 */
export interface PacedOptions {
  baseUrl: string;
  /** A plain pool starts from its first request; a Rotation continues where it was left. */
  pool: Request[] | Rotation;
  /** Arrivals per second. */
  rate: number;
  /** Upper bound on concurrent requests (keep-alive sockets). */
  connections: number;
  durationSeconds: number;
  pid?: number;
  rssEveryMs?: number;
  /** Per-request timeout (ms); a timed-out request counts as an error. */
  timeoutMs?: number;
}

export interface PacedResult {
  targetRps: number;
  achievedRps: number;
  requests: number;
  connections: number;
  durationSeconds: number;
  /** From each request's due time to its last response byte. */
  latencyMs: LatencySummary;
  /** From the moment a socket sent it (what autocannon reports). */
  serviceMs: LatencySummary;
  errors: number;
  non2xx: number;
  rss: RssSummary | null;
}

export async function paced(opts: PacedOptions): Promise<PacedResult> {
  const url = new URL(opts.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  const service: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const total = Math.max(1, Math.round(opts.rate * opts.durationSeconds));
  const interval = 1000 / opts.rate;
  const rss = sampleRss(opts.pid, opts.rssEveryMs ?? 1000);

  const send = (r: Request, due: number) =>
    new Promise<void>((settle) => {
      const body = r.method === 'POST' ? Buffer.from(r.body) : undefined;
      let sentAt = 0;
      let settled = false;
      /** Counts a request once: a response cut off mid-body may emit both 'close' and 'error'. */
      const finish = (outcome: 'ok' | 'non2xx' | 'error') => {
        if (settled) return;
        settled = true;
        if (outcome === 'ok') {
          const end = performance.now();
          latencies.push(end - due);
          service.push(end - sentAt);
        } else if (outcome === 'non2xx') non2xx++;
        else errors++;
        settle();
      };
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
          timeout: opts.timeoutMs ?? 10_000,
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => finish((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 ? 'ok' : 'non2xx'));
          // A connection lost mid-body ends the response without 'end'.
          res.on('close', () => finish('error'));
        },
      );
      // 'socket' fires when the agent hands the request a socket; before that it is queued.
      req.on('socket', () => (sentAt = performance.now()));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish('error'));
      req.end(body);
    });

  const rotation = opts.pool instanceof Rotation ? opts.pool : new Rotation(opts.pool);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let k = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (k < total && start + k * interval <= now) {
        inFlight.push(send(rotation.next(), start + k * interval));
        k++;
      }
      if (k >= total) return done();
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  const rssSamples = rss.stop();
  agent.destroy();
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    targetRps: round(opts.rate),
    achievedRps: round(latencies.length / elapsed),
    requests: total,
    connections: opts.connections,
    durationSeconds: opts.durationSeconds,
    latencyMs: summarize(latencies),
    serviceMs: summarize(service),
    errors,
    non2xx,
    rss: summarizeRss(rssSamples, (opts.rssEveryMs ?? 1000) / 1000),
  };
}
