#!/usr/bin/env node
// `npm run test:mutation [-- <group>…] [--full]`: StrykerJS over the modules where a silent bug
// costs most (groups and their test files: stryker.config.mjs), one Stryker run per group, then
// one table of scores per file and the list of surviving mutants. Fails when the score over all
// modules is below MIN_SCORE, naming every module below it. Incremental: a re-run only tests mutants whose code or tests changed
// (reports/mutation/*.incremental.json); `--full` re-tests everything; `--report` only prints the
// table from the last reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { groups } from '../stryker.config.mjs';

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
const selected = reportOnly ? [] : names.length ? groups.filter((g) => names.includes(g.name)) : groups;

mkdirSync(REPORTS, { recursive: true });
const timings = {};
for (const group of selected) {
  console.log(`\n=== mutation group ${group.name}: ${group.mutate.join(', ')}\n    tests: ${group.tests.join(' ')}\n`);
  const started = Date.now();
  // With firstPass test files: those alone first (no database, seconds per mutant), then every
  // test file, which reuses the mutants the first pass killed (stryker.config.mjs). `--full`
  // forces only the first of the two runs, so the second still reuses its kills.
  const passes = group.firstPass ? [{ MUTATION_FIRST_PASS: '1' }, { MUTATION_FIRST_PASS: '0' }] : [{}];
  passes.forEach((passEnv, i) => {
    if (passes.length > 1) console.log(`\n--- ${i === 0 ? `first pass: ${group.firstPass.join(' ')}` : 'every test file, reusing the first pass'}\n`);
    const run = spawnSync(
      process.execPath,
      ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs', ...(full && i === 0 ? ['--force'] : [])],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...group.env, ...passEnv, MUTATION_GROUP: group.name },
      },
    );
    if (run.status !== 0) {
      console.error(`Stryker failed for group ${group.name} (exit ${run.status})`);
      process.exit(run.status ?? 1);
    }
  });
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
  for (const [name, { mutants, source }] of Object.entries(report.files)) {
    const count = (statuses) => mutants.filter((m) => statuses.has(m.status)).length;
    const detected = count(DETECTED);
    const undetected = count(UNDETECTED);
    rows.push({
      group: group.name,
      file: name,
      detected,
      undetected,
      errors: mutants.length - detected - undetected,
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
const total = rows.reduce((t, r) => ({ detected: t.detected + r.detected, undetected: t.undetected + r.undetected }), { detected: 0, undetected: 0 });
const totalScore = (100 * total.detected) / (total.detected + total.undetected || 1);
const table = [
  '| file | score | killed + timeout | survived + no coverage | not counted (static, errors) |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.file} | ${r.score.toFixed(1)} % | ${r.detected} | ${r.undetected} | ${r.errors} |`),
  `| **all** | **${totalScore.toFixed(1)} %** | ${total.detected} | ${total.undetected} | |`,
].join('\n');
const summary = `# Mutation score\n\n${table}\n\nSeconds per group this run: ${JSON.stringify(timings)}\n\n## Undetected mutants\n\n${survivors.map((s) => `- ${s}`).join('\n')}\n`;
writeFileSync(path.join(REPORTS, 'summary.md'), summary);
console.log(`\n${table}\n\nUndetected mutants (${survivors.length}):\n${survivors.join('\n')}\n\nReports: reports/mutation/ (summary.md, <group>.html)`);

const low = rows.filter((r) => r.score < MIN_SCORE);
if (low.length) console.warn(`\nBelow ${MIN_SCORE} %: ${low.map((r) => `${r.file} ${r.score.toFixed(1)} %`).join(', ')}`);
if (totalScore < MIN_SCORE) {
  console.error(`\nMutation score ${totalScore.toFixed(1)} % is below ${MIN_SCORE} %.`);
  process.exit(1);
}
