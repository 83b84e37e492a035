/**
 * npm run bench:cpu-split [-- --films 100000 --scenario film --systems cinegraph-nocache,bare,postgraphile
 *                          --connections 8 --duration 10 --rounds 3 --env KEY=VALUE]
 * Where a request's CPU goes, per system: the server process, the database's backends serving it
 * and the load generator, in CPU milliseconds per request over one autocannon run (from /proc, so
 * the figures hold on a loaded host where requests/s do not). Systems interleave round by round.
 * Requests/s says how fast; this says who pays: a server that needs more database CPU per request
 * sends heavier SQL, one that needs more of its own CPU does more in JavaScript.
 */
import { parseArgs } from 'node:util';
import { backendsCpuMs, processCpuMs, withClient } from './db.ts';
import { ensureBenchData } from './load.ts';
import { load, Rotation } from './loadgen.ts';
import { requestPool, sampleParams } from './params.ts';
import { scenarioByName } from './scenarios.ts';
import { SYSTEMS, preparePeer, startSystem } from './systems.ts';

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '100000' },
    scenario: { type: 'string', default: 'film' },
    systems: { type: 'string', default: 'cinegraph-nocache,bare,postgraphile' },
    connections: { type: 'string', default: '8' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const scenario = scenarioByName(values.scenario);
if (!scenario) throw new Error(`unknown scenario ${values.scenario}`);
const systems = values.systems.split(',').map((id) => SYSTEMS.find((s) => s.id === id) ?? failUnknown(id));
const extraEnv = Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
function failUnknown(id: string): never {
  console.error(`unknown system ${id} (known: ${SYSTEMS.map((s) => s.id).join(', ')})`);
  process.exit(2);
}

const films = Number(values.films);
const { url, name } = await ensureBenchData({ films, seed: 1 });
const adminUrl = new URL(url);
adminUrl.pathname = '/postgres';
const params = await withClient(url, (c) => sampleParams(async (sql, p) => (await c.query<{ slug: string }>(sql, p)).rows, films, 20_000));
if (systems.some((s) => s.kind === 'postgraphile')) preparePeer((line) => console.error(line));

const rows: Record<string, { rps: number; server: number; db: number; loadgen: number }[]> = {};
const rotations = new Map(systems.map((s) => [s.id, new Rotation(requestPool(scenario, s.kind, params))]));
for (let round = 0; round < Number(values.rounds); round++) {
  const order = systems.map((_, i) => systems[(i + round) % systems.length]!);
  for (const spec of order) {
    const system = await startSystem(spec, url, { extraEnv });
    try {
      const pool = rotations.get(spec.id)!;
      const connections = Number(values.connections);
      await load({ baseUrl: system.baseUrl, pool, connections, durationSeconds: Number(values.warmup) });
      const server0 = processCpuMs(system.pid);
      const db0 = await backendsCpuMs(adminUrl.toString(), name);
      const self0 = process.cpuUsage();
      const result = await load({ baseUrl: system.baseUrl, pool, connections, durationSeconds: Number(values.duration) });
      const self = process.cpuUsage(self0);
      const n = Math.max(1, result.requests);
      const row = {
        rps: result.rps,
        server: (processCpuMs(system.pid) - server0) / n,
        db: ((await backendsCpuMs(adminUrl.toString(), name)) - db0) / n,
        loadgen: (self.user + self.system) / 1000 / n,
      };
      (rows[spec.id] ??= []).push(row);
      console.error(
        `round ${round + 1} ${spec.id}: ${row.rps.toFixed(0)} rps, CPU ms/request server ${row.server.toFixed(3)}, database ${row.db.toFixed(3)}, load generator ${row.loadgen.toFixed(3)}${result.non2xx || result.errors ? ` (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}`,
      );
    } finally {
      await system.stop();
    }
  }
}

const span = (xs: number[], digits: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(digits)}–${s.at(-1)!.toFixed(digits)} (median ${s[Math.floor(s.length / 2)]!.toFixed(digits)})`;
};
console.log(`\n${scenario.name}, ${films} films, ${values.connections} connections, ${values.duration} s × ${values.rounds} rounds\n`);
console.log('| system | requests/s | server CPU ms/request | database CPU ms/request | load generator CPU ms/request |');
console.log('| --- | --- | --- | --- | --- |');
for (const [id, rs] of Object.entries(rows)) {
  console.log(
    `| ${id} | ${span(
      rs.map((r) => r.rps),
      0,
    )} | ${span(
      rs.map((r) => r.server),
      3,
    )} | ${span(
      rs.map((r) => r.db),
      3,
    )} | ${span(
      rs.map((r) => r.loadgen),
      3,
    )} |`,
  );
}
