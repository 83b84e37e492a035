/**
 * Several data sizes and interleaved rounds in one `npm run bench` (issue 19: film detail and
 * the films list against PostGraphile and the bare handler at 100k and 1M films, the spread over
 * at least three rounds). Pure functions: the order systems run in, and the table that sets the
 * sizes side by side and marks each goal met or missed. bench/run.ts measures; this renders.
 */
import type { Results } from './report.ts';
import type { ScenarioName } from './scenarios.ts';
import { median } from './stats.ts';

/**
 * The systems in the order round `round` (0-based) runs them: rotated by one place a round, so
 * each system takes each position (first after the database settled, last on a warm cache)
 * as often as the others when the rounds are a multiple of the systems.
 */
export function roundOrder<T>(systems: readonly T[], round: number): T[] {
  if (systems.length === 0) return [];
  const shift = ((round % systems.length) + systems.length) % systems.length;
  return [...systems.slice(shift), ...systems.slice(0, shift)];
}

/** A goal of the issue: Cinegraph's best requests/s ÷ a peer's, per round, at least `atLeast`. */
export interface Goal {
  scenario: Extract<ScenarioName, 'film' | 'films'>;
  peer: 'postgraphile' | 'bare';
  atLeast: number;
}
export const GOALS: Goal[] = [
  { scenario: 'film', peer: 'postgraphile', atLeast: 1 },
  { scenario: 'films', peer: 'postgraphile', atLeast: 1 },
];

/** Best requests/s over connection counts of one system and scenario in each round (rounds numbered from 1). */
export function bestPerRound(results: Results, system: string, scenario: ScenarioName): Map<number, number> {
  const out = new Map<number, number>();
  for (const run of results.systems.find((s) => s.id === system)?.scenarios[scenario]?.runs ?? []) {
    const round = run.round ?? 1;
    out.set(round, Math.max(out.get(round) ?? 0, run.rps));
  }
  return out;
}

const spread = (values: number[], digits = 0) => {
  if (values.length === 0) return '–';
  const f = (v: number) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
};

/** Cinegraph's variant the goals are judged on: without the response cache (the figures), else the default. */
export function judgedSystem(results: Results): string | undefined {
  const ids = results.systems.map((s) => s.id);
  return ['cinegraph-nocache', 'cinegraph'].find((id) => ids.includes(id));
}

/**
 * Film detail and the films list at every size side by side: each system's best requests/s per
 * round (min–max), Cinegraph ÷ each peer per round (ratios only within a round, where the host's
 * load weighed on all alike) with their median, and each goal marked on that median.
 */
export function renderSizes(sizes: Results[], rounds: number): string {
  const out = [
    '## Goals at every size',
    '',
    `Best requests/s over the connection counts, per round (${rounds} round${rounds === 1 ? '' : 's'}, systems interleaved and rotated a place each round); a ratio divides figures of the same round, and its goal is judged on the median.` +
      (rounds < 3 ? ' **Fewer than three rounds: the spread is not yet a spread.**' : ''),
    '',
    '| scenario | films | Cinegraph (variant) rps | bare rps | PostGraphile rps | ÷ bare per round (median) | ÷ PostGraphile per round (median) | goal |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const scenario of ['film', 'films'] as const) {
    for (const results of sizes) {
      if (!results.options.scenarios.includes(scenario)) continue;
      const us = judgedSystem(results);
      const ours = us ? bestPerRound(results, us, scenario) : new Map<number, number>();
      const peers = { bare: bestPerRound(results, 'bare', scenario), postgraphile: bestPerRound(results, 'postgraphile', scenario) };
      // A round where either side answered nothing (a start-up that timed out on a loaded host) has no ratio.
      const ratios = (peer: keyof typeof peers) =>
        [...ours].filter(([round, rps]) => rps > 0 && (peers[peer].get(round) ?? 0) > 0).map(([round, rps]) => rps / peers[peer].get(round)!);
      const cell = (values: number[]) => (values.length ? `${values.map((v) => v.toFixed(2)).join(', ')} (${median(values)!.toFixed(2)})` : '–');
      const marks = GOALS.filter((g) => g.scenario === scenario).map((g) => {
        const m = median(ratios(g.peer));
        const verdict = m === undefined ? '⚪ not measured' : m >= g.atLeast ? '✅ met' : '❌ missed';
        return `${verdict} (≥ ${g.atLeast}× ${g.peer === 'postgraphile' ? 'PostGraphile' : 'bare'})`;
      });
      out.push(
        `| ${scenario} | ${results.options.films.toLocaleString('en')} | ${spread([...ours.values()])} (${us ?? 'none'}) | ${spread([...peers.bare.values()])} | ${spread([...peers.postgraphile.values()])} | ${cell(ratios('bare'))} | ${cell(ratios('postgraphile'))} | ${marks.join('; ') || '–'} |`,
      );
    }
  }
  return [...out, ''].join('\n');
}
