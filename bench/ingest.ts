// `npm run bench:ingest`: CPU time of the extractor per 3,000 characters of article, cold (a new
// process: loading compromise and our modules, then the first article) and warm (the same
// process, every article again), and the cost of the library load spread over N articles.
// CPU = process.cpuUsage() user + system, so the figure holds on a loaded machine too.
//
//   npm run bench:ingest               cold (5 fresh processes) + warm (10 rounds over the articles)
//   npm run bench:ingest -- --rounds 30
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

const ARTICLE_CHARS = 3000;
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 10;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function articles(): Promise<string[]> {
  const dir = 'seed/ingest-dev';
  const texts = [await readFile('seed/her-review.txt', 'utf8')];
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.txt')).sort()) texts.push(await readFile(path.join(dir, f), 'utf8'));
  // One article of exactly 3,000 characters: the seed followed by the start of the first dev article.
  texts.push((texts[0]! + '\n\n' + texts[1]!).slice(0, ARTICLE_CHARS));
  return texts;
}

/** In a fresh process: load the extractor, run it once on a 3,000-character article; print the CPU of each step as JSON. */
async function cold() {
  const t0 = process.cpuUsage();
  const { extract } = await import('../src/ingest/extract.ts');
  // compromise loads on the first analysis (src/ingest/nlp.ts); load it here so `load` still counts it.
  (await import('../src/ingest/nlp.ts')).loadNlp();
  const load = cpuMs(process.cpuUsage(t0));
  const text = (await articles()).at(-1)!;
  const t1 = process.cpuUsage();
  await extract({ text, publishedOn: '2024-01-01' });
  const first = cpuMs(process.cpuUsage(t1));
  console.log(JSON.stringify({ load, first }));
}

async function main() {
  const runs: { load: number; first: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--cold'], { encoding: 'utf8' });
    runs.push(JSON.parse(out.trim().split('\n').at(-1)!) as { load: number; first: number });
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const load = median(runs.map((r) => r.load));
  const first = median(runs.map((r) => r.first));

  const { extract } = await import('../src/ingest/extract.ts');
  const texts = await articles();
  for (const text of texts) await extract({ text, publishedOn: '2024-01-01' }); // warm-up
  const per3k: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const t = process.cpuUsage();
      await extract({ text, publishedOn: '2024-01-01' });
      per3k.push((cpuMs(process.cpuUsage(t)) * ARTICLE_CHARS) / text.length);
    }
  }
  per3k.sort((x, y) => x - y);
  const mean = per3k.reduce((s, x) => s + x, 0) / per3k.length;
  const p95 = per3k[Math.floor(per3k.length * 0.95)]!;
  const chars = texts.map((t) => t.length);
  console.log(`Extractor CPU (user + system), ${texts.length} articles of ${Math.min(...chars)}–${Math.max(...chars)} characters, Node ${process.version}`);
  console.log(
    `cold, median of 5 fresh processes: load ${load.toFixed(0)} ms (compromise + src/ingest, through tsx), first 3,000-char article ${first.toFixed(0)} ms, total ${(load + first).toFixed(0)} ms`,
  );
  console.log(
    `warm, ${per3k.length} extractions scaled to 3,000 chars: mean ${mean.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${per3k.at(-1)!.toFixed(1)} ms`,
  );
  for (const n of [1, 10, 100])
    console.log(`load amortized over ${n} article${n === 1 ? '' : 's'}: ${((load + first + (n - 1) * mean) / n).toFixed(1)} ms per article`);
}

if (args.includes('--cold')) await cold();
else await main();
