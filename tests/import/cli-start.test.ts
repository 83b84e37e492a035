// `npm run import` starts without the GraphQL layer: its modules (the CLI and everything it
// imports) load neither src/builder.ts, Pothos nor graphql-yoga, whose loading was most of its
// start-up (docs/importing.md#speed). A resolve hook in the child process lists every module it loads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsxArgs } from '../helpers/tsx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cg-import-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the import CLI loads no GraphQL builder, Pothos or graphql-yoga module', () => {
  const hook = path.join(dir, 'hook.mjs');
  const log = `export async function resolve(specifier, context, next) { const r = await next(specifier, context); process.stderr.write('LOADED ' + r.url + '\\n'); return r; }`;
  writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(log)}`)});\n`);
  // No format: the CLI loads every module, then answers with its usage and exits 1.
  const child = spawnSync(process.execPath, ['--import', hook, ...tsxArgs('src/import/cli.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir },
  });
  const loaded = child.stderr.split('\n').flatMap((l) => (l.startsWith('LOADED ') ? [l.slice(7)] : []));
  expect(child.stderr).toContain('No format given.');
  // The hook saw the CLI's own modules: the check below would pass vacuously otherwise.
  expect(loaded.filter((u) => /\/src\/import\/(run|fingerprint|writer|imdb\/imdb)\.ts$/.test(u)).length).toBe(4);
  expect(loaded.filter((u) => /\/src\/builder\.ts$|\/node_modules\/(@pothos\/|graphql-yoga\/|@graphql-yoga\/)/.test(u))).toEqual([]);
});
