// The V8 heap limits `npm start` sets (package.json config.nodeOptions; docs/operations.md#memory):
// the real start script, run by npm, gives the program they start those limits, and a user's own
// NODE_OPTIONS still wins. The program is a probe standing in for dist/index.js that reports
// V8's heap size limit; the expected values come from node started with the flags directly.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; config: { nodeOptions: string } };
const work = mkdtempSync(path.join(tmpdir(), 'cinegraph-heap-limit-'));
const PROBE = "console.log(JSON.stringify({ limit: require('node:v8').getHeapStatistics().heap_size_limit }));";

beforeAll(() => {
  // Only what `npm start` reads: the scripts and the config, and a dist/index.js of our own.
  writeFileSync(
    path.join(work, 'package.json'),
    JSON.stringify({ name: 'heap-limit-probe', version: '1.0.0', scripts: { start: pkg.scripts['start'] }, config: pkg.config }),
  );
  mkdirSync(path.join(work, 'dist'));
  writeFileSync(path.join(work, 'dist/index.js'), PROBE);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** heap_size_limit of a program started by `npm start` with this NODE_OPTIONS. */
function npmStartLimit(nodeOptions: string | undefined): number {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  if (nodeOptions !== undefined) env['NODE_OPTIONS'] = nodeOptions;
  // --ignore-scripts: prestart would build the real server; only the start line is under test.
  const out = execFileSync('npm', ['run', '--silent', '--ignore-scripts', 'start'], { cwd: work, env, encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop()!) as { limit: number }).limit;
}
/** heap_size_limit of node started with these flags on its command line. */
function directLimit(flags: string[]): number {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const out = execFileSync(process.execPath, [...flags, '-e', PROBE], { env, encoding: 'utf8' });
  return (JSON.parse(out) as { limit: number }).limit;
}

describe('npm start', () => {
  const flags = pkg.config.nodeOptions.split(' ');

  test('declares an old-space limit for the server', () => {
    expect(pkg.config.nodeOptions).toMatch(/--max-old-space-size=\d+/);
    expect(pkg.scripts['start']).toMatch(/node dist\/index\.js$/);
  });

  test('runs the server with the configured heap limits', () => {
    const limit = npmStartLimit(undefined);
    expect(limit).toBe(directLimit(flags));
    // Not V8's default for this machine: the flags changed something.
    expect(limit).not.toBe(directLimit([]));
  });

  test("lets the user's NODE_OPTIONS override the limit", () => {
    const limit = npmStartLimit('--max-old-space-size=333');
    expect(limit).toBe(directLimit([...flags, '--max-old-space-size=333']));
    expect(limit).toBeGreaterThan(npmStartLimit(undefined));
  });

  test('keeps the other NODE_OPTIONS a user sets', () => {
    const env = { ...process.env, NODE_OPTIONS: '--no-warnings --title=heap-limit-probe' };
    writeFileSync(path.join(work, 'dist/index.js'), 'console.log(JSON.stringify({ title: process.title }));');
    try {
      const out = execFileSync('npm', ['run', '--silent', '--ignore-scripts', 'start'], { cwd: work, env, encoding: 'utf8' });
      expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ title: 'heap-limit-probe' });
    } finally {
      writeFileSync(path.join(work, 'dist/index.js'), PROBE);
    }
  });
});

describe('the Docker image', () => {
  test('sets the same heap limits as npm start', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(/NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1]).toBe(pkg.config.nodeOptions);
  });
});
