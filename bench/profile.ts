/**
 * npm run bench:profile [-- --films N --duration 20 --connections 8 --scenario film --system cinegraph-nocache]
 * Starts Cinegraph with `node --cpu-prof` on the bench database, loads it with one scenario,
 * stops it (the profile is written at exit) and prints the top 10 functions by self time.
 * Start-up (module compilation) is in the profile too; a longer --duration dilutes it.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withClient } from './db.ts';
import { ensureBenchData } from './load.ts';
import { load } from './loadgen.ts';
import { requestPool, sampleParams } from './params.ts';
import { scenarioByName } from './scenarios.ts';
import { ROOT, SYSTEMS, startSystem } from './systems.ts';

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    scenario: { type: 'string', default: 'film' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '8' },
    top: { type: 'string', default: '10' },
    // Without the response cache by default: the profile should show the work of answering.
    system: { type: 'string', default: 'cinegraph-nocache' },
  },
});

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per function, summed over every node of that function. */
export function selfTimes(profile: CpuProfile): { name: string; ms: number; percent: number }[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byNode = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample: the interval sample i ended.
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const byFunction = new Map<string, number>();
  for (const [id, micros] of byNode) {
    const f = frames.get(id)!;
    if (f.functionName === '(idle)') continue;
    const where = f.url ? ` ${f.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
  return [...byFunction]
    .map(([name, micros]) => ({ name, ms: Math.round(micros / 100) / 10, percent: Math.round((1000 * micros) / total) / 10 }))
    .sort((a, b) => b.ms - a.ms);
}

/** The same self times grouped by package (node_modules/<name>), Node internals, or our own code. */
export function byPackage(rows: { name: string; ms: number }[]): { name: string; ms: number; percent: number }[] {
  const groups = new Map<string, number>();
  for (const r of rows) {
    const where = r.name.split(' ').slice(1).join(' ');
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
      (where.startsWith('node:')
        ? 'node (internals)'
        : where.startsWith('src/generated/')
          ? 'generated Prisma client (src/generated)'
          : where
            ? 'cinegraph (src)'
            : r.name);
    groups.set(pkg, (groups.get(pkg) ?? 0) + r.ms);
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  return [...groups].map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((1000 * ms) / total) / 10 })).sort((a, b) => b.ms - a.ms);
}

const films = Number(values.films);
const seed = Number(values.seed);
const scenario = scenarioByName(values.scenario) ?? (console.error(`unknown scenario ${values.scenario}`), process.exit(2));
const data = await ensureBenchData({ films, seed });
const params = await withClient(data.url, (c) => sampleParams(async (sql, p) => (await c.query(sql, p)).rows, films, 20000, seed));
const dir = path.join(ROOT, 'bench/results/profiles', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(dir, { recursive: true });
const spec =
  SYSTEMS.find((s) => s.id === values.system && s.kind === 'cinegraph') ??
  (console.error(
    `--system must be a Cinegraph variant: ${SYSTEMS.filter((s) => s.kind === 'cinegraph')
      .map((s) => s.id)
      .join(', ')}`,
  ),
  process.exit(2));
const sys = await startSystem(spec, data.url, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
const result = await load({
  baseUrl: sys.baseUrl,
  pool: requestPool(scenario, 'cinegraph', params),
  connections: Number(values.connections),
  durationSeconds: Number(values.duration),
});
await sys.stop();
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) {
  console.error(`no .cpuprofile was written in ${dir}; Cinegraph output:\n${sys.output()}`);
  process.exit(1);
}
const all = selfTimes(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
const top = all.slice(0, Number(values.top));
console.log(`${scenario.name} at ${values.connections} connections for ${values.duration} s: ${result.rps} rps, p99 ${result.latencyMs.p99} ms`);
console.log(`profile: ${path.relative(ROOT, path.join(dir, file))} (open in Chrome DevTools or speedscope)\n`);
console.log('  self ms   share  function');
for (const t of top) console.log(`${String(t.ms).padStart(9)}  ${String(t.percent).padStart(5)}%  ${t.name}`);
console.log('\n  self ms   share  package');
for (const t of byPackage(all).slice(0, Number(values.top))) console.log(`${String(t.ms).padStart(9)}  ${String(t.percent).padStart(5)}%  ${t.name}`);
