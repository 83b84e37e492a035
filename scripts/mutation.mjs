#!/usr/bin/env node
// `npm run test:mutation [-- <group>…] [--full]`: StrykerJS over the modules where a silent bug
// costs most (groups and their test files: stryker.config.mjs), one Stryker run per group, then
// one table of scores per file and the list of surviving mutants. Fails when the score over all
// modules is below MIN_SCORE, naming every module below it. Incremental: a re-run only tests mutants whose code or tests changed
// (reports/mutation/*.incremental.json); `--full` re-tests everything; `--report` only prints the
// table from the last reports.
//
// MUTATION_DATABASE_URL=postgres://…/<a database of yours>: the database-backed test files run on
// PostgreSQL instead of PGlite (TEST_DATABASE_URL). Each mutant's run then copies one migrated,
// seeded template with `CREATE DATABASE … TEMPLATE` (under a second, a few hundredths of a CPU
// second) where PGlite spends 2–3 CPU seconds loading its snapshot. The template is built once
// per group by the first test file that needs it and dropped when the group ends.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { groups } from '../stryker.config.mjs';
import { dropRunTemplates } from '../tests/helpers/global-teardown.js';

const MIN_SCORE = 85;
const ROOT = path.resolve(import.meta.dirname, '..');
const REPORTS = path.join(ROOT, 'reports/mutation');

const args = process.argv.slice(2);
const full = args.includes('--full');
const reportOnly = args.includes('--report');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !groups.some((g) => g.name === n));
if (unknown.length) {
  console.error(`Unknown group(s) ${unknown.join(', ')}; groups: ${groups.map((g) => g.name).join(', ')}`);
  process.exit(2);
}
// Optional groups (stryker.config.mjs) run only when named and never count toward MIN_SCORE.
const selected = reportOnly ? [] : names.length ? groups.filter((g) => names.includes(g.name)) : groups.filter((g) => !g.optional);

const databaseUrl = process.env.MUTATION_DATABASE_URL;
/** The environment that puts a group's test files on PostgreSQL with one template for the whole Stryker run (tests/helpers/db.ts). */
function postgresEnv(run) {
  return databaseUrl ? { TEST_DATABASE_URL: databaseUrl, CINEGRAPH_TEST_RUN: run } : {};
}
/** Drops the template a group's run built (what tests/helpers/global-teardown.js does after a plain jest run). */
async function dropTemplate(run) {
  if (databaseUrl) await dropRunTemplates(databaseUrl, run);
}

mkdirSync(REPORTS, { recursive: true });
const timings = {};
for (const group of selected) {
  console.log(`\n=== mutation group ${group.name}: ${group.mutate.join(', ')}\n    tests: ${group.tests.join(' ')}\n`);
  const started = Date.now();
  // With firstPass test files: those alone first (no database, seconds per mutant), then every
  // test file, which reuses the mutants the first pass killed (stryker.config.mjs). `--full`
  // forces only the first of the two runs, so the second still reuses its kills.
  const run = `mutation_${process.pid}_${randomBytes(4).toString('hex')}`;
  const passes = group.firstPass ? [{ MUTATION_FIRST_PASS: '1' }, { MUTATION_FIRST_PASS: '0' }] : [{}];
  for (const [i, passEnv] of passes.entries()) {
    if (passes.length > 1) console.log(`\n--- ${i === 0 ? `first pass: ${group.firstPass.join(' ')}` : 'every test file, reusing the first pass'}\n`);
    const stryker = spawnSync(
      process.execPath,
      ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs', ...(full && i === 0 ? ['--force'] : [])],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...group.env, ...passEnv, ...postgresEnv(run), MUTATION_GROUP: group.name },
      },
    );
    if (stryker.status !== 0) {
      console.error(`Stryker failed for group ${group.name} (exit ${stryker.status})`);
      await dropTemplate(run);
      process.exit(stryker.status ?? 1);
    }
  }
  await dropTemplate(run);
  timings[group.name] = Math.round((Date.now() - started) / 1000);
}

// Scores from every group's JSON report (mutation-testing-report-schema), so a run of one group
// still prints the whole table from the others' last reports.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
const survivors = [];
for (const group of groups) {
  const file = path.join(REPORTS, `${group.name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const [name, { mutants: all, source }] of Object.entries(report.files)) {
    // A static mutant (module-level code, run at import) that no test reached per test is Ignored
    // (`ignoreStatic`). But a first pass that never imported the module reports it NoCoverage, and
    // the full run's incremental mode then reuses that result instead of ignoring it: counted with
    // the ignored ones here, as one run over every test file would have.
    const mutants = all.filter((m) => !(m.static && m.status === 'NoCoverage'));
    const count = (statuses) => mutants.filter((m) => statuses.has(m.status)).length;
    const detected = count(DETECTED);
    const undetected = count(UNDETECTED);
    rows.push({
      group: group.name,
      file: name,
      detected,
      undetected,
      errors: all.length - detected - undetected,
      score: (100 * detected) / (detected + undetected || 1),
    });
    const lines = source.split('\n');
    for (const m of mutants.filter((x) => UNDETECTED.has(x.status))) {
      survivors.push(
        `${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${lines[m.location.start.line - 1].trim()}  →  ${m.replacement ?? ''}`,
      );
    }
  }
}
const sum = (list) =>
  list.reduce((t, r) => ({ detected: t.detected + r.detected, undetected: t.undetected + r.undetected, errors: t.errors + r.errors }), {
    detected: 0,
    undetected: 0,
    errors: 0,
  });
const scoreOf = ({ detected, undetected }) => (100 * detected) / (detected + undetected || 1);
const optional = new Set(groups.filter((g) => g.optional).map((g) => g.name));
const counted = rows.filter((r) => !optional.has(r.group));
const total = sum(counted);
const totalScore = scoreOf(total);
const line = (group, file, t, bold = false) => {
  const score = `${scoreOf(t).toFixed(1)} %`;
  return `| ${group} | ${file} | ${bold ? `**${score}**` : score} | ${t.detected} | ${t.undetected} | ${t.errors} |`;
};
const table = [
  '| group | file | score | killed + timeout | survived + no coverage | not counted (static, errors) |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...groups.flatMap((g) => {
    const own = rows.filter((r) => r.group === g.name);
    if (!own.length) return [];
    return [...own.map((r) => line(g.name, r.file, r)), line(g.name, `**${g.name}${g.optional ? ' (optional, not counted)' : ''}**`, sum(own), true)];
  }),
  line('', '**all required groups**', total, true),
].join('\n');
const summary = `# Mutation score\n\n${table}\n\nSeconds per group this run: ${JSON.stringify(timings)}\n\n## Undetected mutants\n\n${survivors.map((s) => `- ${s}`).join('\n')}\n`;
writeFileSync(path.join(REPORTS, 'summary.md'), summary);
console.log(`\n${table}\n\nUndetected mutants (${survivors.length}):\n${survivors.join('\n')}\n\nReports: reports/mutation/ (summary.md, <group>.html)`);

const low = counted.filter((r) => r.score < MIN_SCORE);
if (low.length) console.warn(`\nBelow ${MIN_SCORE} %: ${low.map((r) => `${r.file} ${r.score.toFixed(1)} %`).join(', ')}`);
if (totalScore < MIN_SCORE) {
  console.error(`\nMutation score ${totalScore.toFixed(1)} % is below ${MIN_SCORE} %.`);
  process.exit(1);
}
