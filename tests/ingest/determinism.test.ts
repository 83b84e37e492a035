// The same text gives byte-identical proposals: twice in one process, after other articles, and
// in a fresh process (no dependence on module state, Map order across runs or the clock).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extract } from '../../src/ingest/extract.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const article = async () => ({ text: await readFile('seed/her-review.txt', 'utf8'), publishedOn: '2013-12-01' });

test('extracting the same article twice, with other articles in between, gives byte-identical JSON', async () => {
  const first = JSON.stringify(await extract(await article()));
  await extract({ text: await readFile('seed/ingest-dev/04-streaming-listicle.txt', 'utf8'), publishedOn: '2024-01-05' });
  await extract({ text: await readFile('seed/ingest-dev/08-cannes-dispatch.txt', 'utf8') });
  const second = JSON.stringify(await extract(await article()));
  expect(second).toBe(first);
  // 5 films, 3 people, 1 alias, 4 cast and 4 crew credits, 2 reviews, 2 releases, 1 genre.
  expect(JSON.parse(first)).toHaveLength(22);
});

test('a fresh process gives the same bytes', async () => {
  const here = sha(JSON.stringify(await extract(await article())));
  const script =
    "import { readFileSync } from 'node:fs'; import { createHash } from 'node:crypto'; import { extract } from './src/ingest/extract.ts';" +
    "const p = await extract({ text: readFileSync('seed/her-review.txt', 'utf8'), publishedOn: '2013-12-01' });" +
    "console.log(createHash('sha256').update(JSON.stringify(p)).digest('hex'));";
  const there = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  expect(there).toBe(here);
});
