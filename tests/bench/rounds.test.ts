import { renderMarkdown, type Results, type SystemResult } from '../../bench/report.ts';
import { bestPerRound, renderSizes, roundOrder } from '../../bench/rounds.ts';
import type { LoadResult } from '../../bench/loadgen.ts';

// The pure parts of `npm run bench` across sizes and rounds: the order systems run in each
// round, and the report that sets the sizes side by side with each goal met or missed.

/** A timed run with only what the report reads. */
const run = (round: number, connections: number, rps: number): LoadResult & { round: number } => ({
  round,
  connections,
  rps,
  durationSeconds: 8,
  requests: rps * 8,
  latencyMs: { p50: 1, p95: 2, p99: 3, max: 4, mean: 1 },
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  rss: null,
  rssSamples: [],
});

/** A system's film and films runs: rps[scenario][round - 1] = [rps at 8 connections, rps at 32]. */
function system(id: string, kind: SystemResult['kind'], rps: Record<'film' | 'films', [number, number][]>): SystemResult {
  const scenario = (list: [number, number][]) => ({
    status: 'ok' as const,
    runs: list.flatMap(([at8, at32], i) => [run(i + 1, 8, at8), run(i + 1, 32, at32)]),
  });
  return { id, kind, description: id, env: {}, scenarios: { film: scenario(rps.film), films: scenario(rps.films) } };
}

function results(films: number, systems: SystemResult[]): Results {
  return {
    label: `${films} films`,
    date: '2026-12-01T06:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 8, loadAverageAtStart: [1, 1, 1] },
    versions: {
      commit: 'abc1234',
      node: 'v20',
      peerNode: 'v22',
      postgres: '15',
      prisma: '7',
      graphqlYoga: '5',
      pothos: '4',
      postgraphile: '5',
      connectionFilter: '3',
      autocannon: '8',
    },
    options: { films, scenarios: ['film', 'films'], connections: [8, 32], durationSeconds: 8, warmupSeconds: 2, poolSize: 100 },
    data: {
      database: `cg_bench_${films}_s1`,
      rows: { Film: films },
      totalRows: films,
      loadSeconds: 1,
      loadRowsPerSecond: 1,
      rawCopySeconds: 1,
      rawCopyRowsPerSecond: 1,
      indexSeconds: 1,
      totalSeconds: 1,
      foreignKeyChecks: 'checked',
      loadedAt: '',
    },
    systems,
  };
}

describe('the order of systems in a round', () => {
  test('rotates by one place a round, so each system runs first once in as many rounds as there are systems', () => {
    const systems = ['cinegraph', 'bare', 'postgraphile'];
    expect([0, 1, 2, 3].map((round) => roundOrder(systems, round))).toEqual([
      ['cinegraph', 'bare', 'postgraphile'],
      ['bare', 'postgraphile', 'cinegraph'],
      ['postgraphile', 'cinegraph', 'bare'],
      ['cinegraph', 'bare', 'postgraphile'],
    ]);
    expect(roundOrder([], 5)).toEqual([]);
  });
});

describe('the report across sizes', () => {
  // At 100k: film detail well below PostGraphile, the list above it in two of three rounds.
  const small = results(100_000, [
    system('cinegraph-nocache', 'cinegraph', {
      film: [
        [100, 120],
        [90, 110],
        [130, 125],
      ],
      films: [
        [50, 60],
        [40, 45],
        [70, 66],
      ],
    }),
    system('bare', 'bare', {
      film: [
        [300, 310],
        [280, 290],
        [320, 300],
      ],
      films: [
        [40, 41],
        [50, 52],
        [55, 60],
      ],
    }),
    system('postgraphile', 'postgraphile', {
      film: [
        [400, 420],
        [380, 400],
        [410, 430],
      ],
      films: [
        [55, 58],
        [50, 44],
        [60, 62],
      ],
    }),
  ]);
  const large = results(1_000_000, [
    system('cinegraph-nocache', 'cinegraph', {
      film: [
        [80, 90],
        [85, 95],
        [70, 75],
      ],
      films: [
        [100, 90],
        [95, 99],
        [101, 80],
      ],
    }),
    system('bare', 'bare', {
      film: [
        [200, 210],
        [190, 220],
        [205, 200],
      ],
      films: [
        [20, 22],
        [21, 24],
        [23, 22],
      ],
    }),
    system('postgraphile', 'postgraphile', {
      film: [
        [300, 320],
        [310, 300],
        [305, 330],
      ],
      films: [
        [40, 45],
        [42, 44],
        [41, 43],
      ],
    }),
  ]);

  test('takes the best requests/s over connection counts within each round', () => {
    expect([...bestPerRound(small, 'cinegraph-nocache', 'film')]).toEqual([
      [1, 120],
      [2, 110],
      [3, 130],
    ]);
  });

  test('sets both sizes side by side with min–max spreads, per-round ratios, their median and the goals marked', () => {
    const table = renderSizes([small, large], 3);
    const rows = table.split('\n').filter((line) => line.startsWith('| film'));
    expect(rows).toEqual([
      '| film | 100,000 | 110–130 (cinegraph-nocache) | 290–320 | 400–430 | 0.39, 0.38, 0.41 (0.39) | 0.29, 0.28, 0.30 (0.29) | ❌ missed (≥ 1× PostGraphile) |',
      '| film | 1,000,000 | 75–95 (cinegraph-nocache) | 205–220 | 310–330 | 0.43, 0.43, 0.37 (0.43) | 0.28, 0.31, 0.23 (0.28) | ❌ missed (≥ 1× PostGraphile) |',
      '| films | 100,000 | 45–70 (cinegraph-nocache) | 41–60 | 50–62 | 1.46, 0.87, 1.17 (1.17) | 1.03, 0.90, 1.13 (1.03) | ✅ met (≥ 1× PostGraphile) |',
      '| films | 1,000,000 | 99–101 (cinegraph-nocache) | 22–24 | 43–45 | 4.55, 4.13, 4.39 (4.39) | 2.22, 2.25, 2.35 (2.25) | ✅ met (≥ 1× PostGraphile) |',
    ]);
    expect(table).not.toContain('Fewer than three rounds');
  });

  test('says so when fewer than three rounds ran, and marks a goal with no peer figures as not measured', () => {
    const alone = results(10_000, [system('cinegraph', 'cinegraph', { film: [[10, 12]], films: [[5, 6]] })]);
    const table = renderSizes([alone], 1);
    expect(table).toContain('**Fewer than three rounds: the spread is not yet a spread.**');
    expect(table).toContain('| film | 10,000 | 12 (cinegraph) | – | – | – | – | ⚪ not measured (≥ 1× PostGraphile) |');
  });

  test('leaves out of the ratios a round in which either side answered nothing', () => {
    const stalled = results(10_000, [
      system('cinegraph', 'cinegraph', {
        film: [
          [10, 12],
          [0, 0],
          [11, 9],
        ],
        films: [
          [5, 6],
          [5, 6],
          [5, 6],
        ],
      }),
      system('postgraphile', 'postgraphile', {
        film: [
          [20, 24],
          [30, 30],
          [0, 0],
        ],
        films: [
          [5, 6],
          [5, 6],
          [5, 6],
        ],
      }),
    ]);
    expect(renderSizes([stalled], 3)).toContain('| film | 10,000 | 0–12 (cinegraph) | – | 0–30 | – | 0.50 (0.50) | ❌ missed (≥ 1× PostGraphile) |');
    expect(renderMarkdown(stalled, 'x.svg')).toContain('| film | 8 | – | 0.50× |');
  });

  test("one size's ratio table divides figures of the same round and shows their median", () => {
    const markdown = renderMarkdown(small, 'x.svg');
    // film at 8 connections, nocache ÷ postgraphile per round: 100/400, 90/380, 130/410 → median 0.25.
    expect(markdown).toContain('| film | 8 | – | – | 0.33× | 0.25× | – | – | – |');
    expect(markdown).toContain('| cinegraph-nocache | 3 | 32 | 125 |');
  });
});
