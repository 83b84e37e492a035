/** Percentile (nearest-rank) of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The middle value (the mean of the middle two); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Latencies in ms, summarised; every response of the timed window counts. */
export function summarize(latencies: number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN),
  };
}

export interface RssSummary {
  startMiB: number;
  endMiB: number;
  minMiB: number;
  maxMiB: number;
  /** (end - start) / start, in percent. */
  driftPercent: number;
  /** max deviation from the start, in percent, over the whole run (heap growth from a cold start included). */
  spreadPercent: number;
  samples: number;
  /**
   * The run after it settled: samples from `settledAfterSeconds` on (20% of the run, at most
   * 60 s: the V8 heap grows to its working size first), their mean and largest deviation from
   * it in percent. The ±10% target is judged on this spread.
   */
  settledAfterSeconds: number;
  settledMeanMiB: number;
  settledSpreadPercent: number;
}

/** `samples` were taken every `everySeconds`, the first at the start of the run. */
export function summarizeRss(samples: number[], everySeconds = 1): RssSummary | null {
  if (samples.length === 0) return null;
  const start = samples[0]!;
  const end = samples[samples.length - 1]!;
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const pct = (n: number) => Math.round(n * 1000) / 10;
  const runSeconds = (samples.length - 1) * everySeconds;
  const settledAfterSeconds = Math.min(60, Math.round(runSeconds * 0.2));
  const settled = samples.slice(Math.min(samples.length - 1, Math.ceil(settledAfterSeconds / everySeconds)));
  const mean = settled.reduce((a, b) => a + b, 0) / settled.length;
  const deviation = Math.max(...settled.map((v) => Math.abs(v - mean)));
  return {
    startMiB: Math.round(start),
    endMiB: Math.round(end),
    minMiB: Math.round(min),
    maxMiB: Math.round(max),
    driftPercent: pct((end - start) / start),
    spreadPercent: pct(Math.max(max - start, start - min) / start),
    samples: samples.length,
    settledAfterSeconds,
    settledMeanMiB: Math.round(mean),
    settledSpreadPercent: pct(deviation / mean),
  };
}
