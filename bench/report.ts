import type { LoadReport } from './db.ts';
import type { LoadResult } from './loadgen.ts';
import { SCENARIOS, type ScenarioName, type SystemKind } from './scenarios.ts';
import { median, type LatencySummary } from './stats.ts';

export interface ScenarioResult {
  status: 'ok' | 'failed' | 'n/a';
  error?: string;
  statementsPerRequest?: number;
  statementsAtPageSize3?: number;
  budget?: number;
  weights?: Record<string, number>;
  /** `round`: which interleaved round of `npm run bench -- --rounds N` (1 when absent). */
  runs: (LoadResult & { cacheHitRatio?: number; round?: number })[];
  at70?: {
    /**
     * 'paced': evenly spaced arrivals, latency from each request's due time (bench/paced.ts).
     * Absent in results before it: autocannon's overallRate, which sends in per-second bursts.
     */
    method?: 'paced';
    maxRps: number;
    targetRps: number;
    achievedRps: number;
    connections: number;
    latencyMs: LatencySummary;
    /** paced only: from the moment a socket sent the request. */
    serviceMs?: LatencySummary;
    errors: number;
    /** paced runs also time autocannon's overallRate at the same rate, for comparison. */
    burst?: { achievedRps: number; latencyMs: LatencySummary; errors: number };
  };
}

export interface SystemResult {
  id: string;
  kind: SystemKind;
  description: string;
  env: Record<string, string>;
  scenarios: Partial<Record<ScenarioName, ScenarioResult>>;
  error?: string;
}

export interface Results {
  label: string;
  date: string;
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  options: { films: number; scenarios: ScenarioName[]; connections: number[]; durationSeconds: number; [k: string]: unknown };
  data: LoadReport & { database: string };
  systems: SystemResult[];
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en', { maximumFractionDigits: digits }));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

function runs(results: Results, system: string, scenario: ScenarioName, connections: number) {
  return new Map(
    (results.systems.find((s) => s.id === system)?.scenarios[scenario]?.runs ?? []).filter((r) => r.connections === connections).map((r) => [r.round ?? 1, r]),
  );
}

/** a ÷ b, per round (same-round figures only), as the median over rounds. */
function roundRatio(results: Results, a: string, b: string, scenario: ScenarioName, connections: number): string {
  const ours = runs(results, a, scenario, connections);
  const theirs = runs(results, b, scenario, connections);
  // A round where either side answered nothing has no ratio.
  const m = median([...ours].filter(([round, r]) => r.rps > 0 && (theirs.get(round)?.rps ?? 0) > 0).map(([round, r]) => r.rps / theirs.get(round)!.rps));
  return m === undefined ? '–' : `${m.toFixed(2)}×`;
}

function best(results: Results, system: string, scenario: ScenarioName): number | undefined {
  const runs = results.systems.find((s) => s.id === system)?.scenarios[scenario]?.runs ?? [];
  return runs.length ? Math.max(...runs.map((r) => r.rps)) : undefined;
}

function scenarioTables(results: Results): string[] {
  const out: string[] = [];
  for (const name of results.options.scenarios) {
    const title = name === 'mixed' ? 'mixed read workload' : SCENARIOS.find((s) => s.name === name)?.title;
    out.push(`### ${name}: ${title}`, '');
    out.push('| system | round | conns | rps | p50 ms | p95 ms | p99 ms | errors | SQL stmts/req (wire) | cache hits | RSS MiB start→end (±%) |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const s of results.systems) {
      const entry = s.scenarios[name];
      if (!entry || entry.status !== 'ok') {
        out.push(
          `| ${s.id} | | | ${entry?.status ?? (s.error ? 'failed' : 'not run')} | | | | | | | ${(entry?.error ?? s.error ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)} |`,
        );
        continue;
      }
      for (const r of entry.runs) {
        const rss = r.rss ? `${r.rss.startMiB}→${r.rss.endMiB} (±${r.rss.spreadPercent}%)` : '–';
        const stmts = entry.statementsPerRequest !== undefined ? `${entry.statementsPerRequest}` : name === 'mixed' ? 'mix' : '–';
        out.push(
          `| ${s.id} | ${r.round ?? 1} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.latencyMs.p50, 2)} | ${fmt(r.latencyMs.p95, 2)} | ${fmt(r.latencyMs.p99, 2)} | ${r.errors + r.non2xx + r.timeouts} | ${stmts} | ${r.cacheHitRatio === undefined ? '–' : `${Math.round(r.cacheHitRatio * 100)}%`} | ${rss} |`,
        );
      }
      if (entry.weights)
        out.push(
          `| ${s.id} weights | | | ${Object.entries(entry.weights)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} | | | | | | | |`,
        );
    }
    out.push('');
  }
  return out;
}

function ratioTable(results: Results): string[] {
  const out = [
    '## Ratios (requests/s, us ÷ peer)',
    '',
    'With several rounds, each ratio is the median of the ratios within each round.',
    '',
    '`cinegraph` is the default configuration (response cache on since the cache branch); `default ÷ nojit` is what compiled execution (graphql-jit, on by default) buys, `default ÷ nocache` what the response cache buys under rotating parameters, `cache hits` its hit ratio in the `cinegraph` run.',
    '',
    '| scenario | conns | cinegraph ÷ bare | cinegraph ÷ postgraphile | nocache ÷ bare | nocache ÷ postgraphile | default ÷ nojit | default ÷ nocache | cache hits |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const name of results.options.scenarios) {
    for (const c of results.options.connections) {
      const r = (a: string, b: string) => roundRatio(results, a, b, name, c);
      const hits = [...runs(results, 'cinegraph', name, c).values()].flatMap((x) => (x.cacheHitRatio === undefined ? [] : [x.cacheHitRatio]));
      const hit = hits.length ? `${Math.round(median(hits)! * 100)}%` : '–';
      out.push(
        `| ${name} | ${c} | ${r('cinegraph', 'bare')} | ${r('cinegraph', 'postgraphile')} | ${r('cinegraph-nocache', 'bare')} | ${r('cinegraph-nocache', 'postgraphile')} | ${r('cinegraph', 'cinegraph-nojit')} | ${r('cinegraph', 'cinegraph-nocache')} | ${hit} |`,
      );
    }
  }
  return [...out, ''];
}

function targets(results: Results): string[] {
  const out = ['## Targets', ''];
  const mark = (ok: boolean | undefined) => (ok === undefined ? '⚪ not measured' : ok ? '✅' : '❌');
  // Statement budgets are judged without the response cache (a hit issues no SQL), when that variant ran.
  const nocache = results.systems.filter((x) => x.id === 'cinegraph-nocache');
  for (const s of nocache.length ? nocache : results.systems.filter((x) => x.kind === 'cinegraph')) {
    for (const [name, e] of Object.entries(s.scenarios)) {
      if (e?.statementsPerRequest === undefined) continue;
      const ok = e.statementsPerRequest <= e.budget! && e.statementsPerRequest === e.statementsAtPageSize3;
      out.push(
        `- ${mark(ok)} ${s.id} ${name}: ${e.statementsPerRequest} statements/request (budget depth + 1 = ${e.budget}); ${e.statementsAtPageSize3} at page size 3 (must be equal)`,
      );
    }
  }
  for (const name of ['film', 'films'] as ScenarioName[]) {
    if (!results.options.scenarios.includes(name)) continue;
    const us = best(results, 'cinegraph', name);
    const bare = best(results, 'bare', name);
    const pg = best(results, 'postgraphile', name);
    out.push(
      `- ${mark(us && bare ? us / bare >= 0.8 : undefined)} ${name}: Cinegraph ≥ 0.8× bare handler (best rps over connection counts): ${ratio(us, bare)}; vs PostGraphile: ${ratio(us, pg)}`,
    );
  }
  const at70 = results.systems.find((s) => s.id === 'cinegraph')?.scenarios.film?.at70;
  const onTargetSet = results.options.films >= 1_000_000 ? '' : ` (on ${results.options.films.toLocaleString('en')} films; the target is for 1M)`;
  const how = at70?.method === 'paced' ? 'evenly spaced arrivals, from each due time' : 'autocannon overallRate, per-second bursts';
  out.push(
    `- ${mark(at70 ? at70.latencyMs.p99 <= 20 : undefined)} film p99 at 70% of max rps ≤ 20 ms: ${at70 ? `${at70.latencyMs.p99} ms at ${at70.achievedRps} rps (max ${at70.maxRps}, ≤ ${at70.connections} connections; ${how})` : 'not run'}${onTargetSet}`,
  );
  const runs = results.systems.filter((s) => s.id === 'cinegraph').flatMap((s) => Object.values(s.scenarios).flatMap((e) => e?.runs ?? []));
  const longest = runs.reduce<(typeof runs)[number] | undefined>((a, b) => (!a || b.durationSeconds >= a.durationSeconds ? b : a), undefined);
  if (longest?.rss) {
    const note =
      longest.durationSeconds >= 600
        ? ''
        : ` (a ${longest.durationSeconds} s run; the target is for 10 minutes: npm run bench -- --scenarios mixed --duration 600 --systems cinegraph)`;
    const r = longest.rss;
    // Older results have no settled figures; they were judged from the start of the run.
    const settled = r.settledSpreadPercent ?? r.spreadPercent;
    out.push(
      `- ${mark(settled <= 10)} Cinegraph RSS flat (±10%): ${r.settledMeanMiB ?? r.startMiB} MiB ±${settled}% after the first ${r.settledAfterSeconds ?? 0} s ` +
        `(whole run ${r.startMiB}→${r.endMiB} MiB, ±${r.spreadPercent}% from the cold start)${note}`,
    );
  }
  return [...out, ''];
}

export function renderMarkdown(results: Results, svgFile: string): string {
  const d = results.data;
  const v = results.versions;
  const lines = [
    `# Cinegraph benchmark: ${results.label}`,
    '',
    `${results.date}, commit ${v.commit}. Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, load average at start ${(results.machine.loadAverageAtStart as number[]).join(' ')}.`,
    `Versions: Node ${v.node} (PostGraphile on ${v.peerNode}), PostgreSQL ${v.postgres}, Prisma ${v.prisma}, graphql-yoga ${v.graphqlYoga}, Pothos ${v.pothos}, PostGraphile ${v.postgraphile} + connection-filter ${v.connectionFilter}, autocannon ${v.autocannon}.`,
    `Data: ${d.database}, ${d.totalRows.toLocaleString('en')} rows (${Object.entries(d.rows)
      .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
      .join(
        ', ',
      )}). Load: ${d.loadRowsPerSecond.toLocaleString('en')} rows/s generate+COPY vs ${d.rawCopyRowsPerSecond.toLocaleString('en')} rows/s raw COPY of the same rows; indexes ${d.indexSeconds} s.`,
    `Runs: ${results.options.durationSeconds} s measured after ${results.options.warmupSeconds} s warm-up, connections ${results.options.connections.join(', ')}; requests rotate over ${results.options.poolSize} parameter sets.`,
    '',
    ...targets(results),
    ...ratioTable(results),
    '## Latency at 70% of max rps (film)',
    '',
    'Arrivals evenly spaced at 70% of the best requests/s, at most as many connections as that best run had; latency from each',
    "request's due time, so time queued for a connection counts (bench/paced.ts). Last columns: autocannon's `overallRate` at the",
    "same rate, which sends each second's quota back-to-back and then idles, so it measures bursts at full load (earlier rounds).",
    '',
    '| system | max rps | target rps | achieved | conns ≤ | p50 ms | p95 ms | p99 ms | max ms | errors | bursts: p50 ms | bursts: p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.systems.flatMap((s) => {
      const a = s.scenarios.film?.at70;
      if (!a) return [];
      const b = a.method === 'paced' ? a.burst : { latencyMs: a.latencyMs };
      const l = a.method === 'paced' ? a.latencyMs : undefined;
      return [
        `| ${s.id} | ${fmt(a.maxRps)} | ${a.targetRps} | ${fmt(a.achievedRps)} | ${a.connections} | ${fmt(l?.p50, 2)} | ${fmt(l?.p95, 2)} | ${fmt(l?.p99, 2)} | ${fmt(l?.max, 2)} | ${a.errors} | ${fmt(b?.latencyMs.p50, 2)} | ${fmt(b?.latencyMs.p99, 2)} |`,
      ];
    }),
    '',
    '## Per scenario',
    '',
    ...scenarioTables(results),
    `![requests/s vs connections](${svgFile})`,
    '',
  ];
  return lines.join('\n');
}
