import { ADJECTIVES, NOUNS, rng } from './generate.ts';
import { MIXED_WEIGHTS, SCENARIOS, type Params, type Request, type Scenario, type SystemKind } from './scenarios.ts';

/** Genres and title prefixes that are common in the generated data (bench/generate.ts). */
const GENRES = ['Drama', 'Comedy', 'Thriller', 'Romance', 'Action'];
/**
 * Search prefixes: "Synth" first (the example), then the 4- and 5-letter starts of every
 * title word — all common in generated titles, and ~120 distinct queries so a response cache
 * is not trivially hot.
 */
export const PREFIXES = [...new Set(['Synth', ...[...ADJECTIVES, ...NOUNS].flatMap((w) => [w.slice(0, 4), w.slice(0, 5)])])];

/**
 * `count` parameter sets for rotation: film slugs spread evenly over the table (so a response
 * cache sees mostly cold keys), year windows, genres and prefixes, in a seeded order.
 */
export async function sampleParams(
  query: (sql: string, params: unknown[]) => Promise<{ slug: string }[]>,
  films: number,
  count: number,
  seed = 1,
): Promise<Params[]> {
  const step = Math.max(1, Math.floor(films / count));
  const rows = await query(`SELECT slug FROM "Film" WHERE id % $1 = 0 ORDER BY id LIMIT $2`, [step, count]);
  if (rows.length === 0) throw new Error('the bench database has no films');
  const r = rng(seed);
  const params = rows.map((row, i) => {
    const yearFrom = 1965 + Math.floor(r() * 50);
    return {
      slug: row.slug,
      yearFrom,
      yearTo: yearFrom + 10,
      genre: GENRES[i % GENRES.length]!,
      prefix: PREFIXES[i % PREFIXES.length]!,
      pageSize: 0,
    };
  });
  // Fisher–Yates with the seeded generator: a stable, non-sequential order of slugs.
  for (let i = params.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [params[i], params[j]] = [params[j]!, params[i]!];
  }
  return params;
}

/** The rotating request pool of one scenario on one system. */
export function requestPool(scenario: Scenario, system: SystemKind, params: Params[], pageSize = scenario.defaultPageSize): Request[] {
  const build = scenario.request[system];
  if ('unavailable' in build) throw new Error(build.unavailable);
  return params.map((p) => build({ ...p, pageSize }));
}

/**
 * The mixed workload's pool: request i is drawn from the scenarios in `available` with
 * MIXED_WEIGHTS (seeded), so the pool interleaves film details, lists, searches and pings.
 * Returns the weights actually used (a scenario that failed validation is left out).
 */
export function mixedPool(system: SystemKind, params: Params[], available: Scenario['name'][], seed = 7): { pool: Request[]; weights: Record<string, number> } {
  const members = SCENARIOS.filter((s) => available.includes(s.name));
  if (members.length === 0) throw new Error('no scenario of the mixed workload passed validation');
  const total = members.reduce((sum, s) => sum + MIXED_WEIGHTS[s.name], 0);
  const r = rng(seed);
  const pool = params.map((p) => {
    let x = r() * total;
    const s = members.find((m) => (x -= MIXED_WEIGHTS[m.name]) < 0) ?? members[members.length - 1]!;
    return requestPool(s, system, [p])[0]!;
  });
  return { pool, weights: Object.fromEntries(members.map((m) => [m.name, MIXED_WEIGHTS[m.name]])) };
}
