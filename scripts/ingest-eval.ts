// `npm run ingest:eval`: precision and recall of the extractor per fact kind, on the seed article
// (re-ingested into an empty catalogue, scored against the hand-built seed) and on the
// development set (seed/ingest-dev/, its held-out articles reported on their own).
//
//   npm run ingest:eval                  tables
//   npm run ingest:eval -- --verbose     and, per article, each fact proposed but not in the key (+) or missed (-)
//   npm run ingest:eval -- --markdown    tables as Markdown (docs/ingestion.md#evaluation)
//   npm run ingest:eval -- --min-confidence 0.6   only proposals at or above a confidence
import { extract } from '../src/ingest/extract.ts';
import { MemoryResolver } from '../src/ingest/memory-resolver.ts';
import { answerKeySchema, loadDevSet, seedKey, type KeyedArticle } from './ingest/answer-key.ts';
import { addScores, FACT_KINDS, keyFacts, precision, proposalFacts, recall, score, type Score } from './ingest/score.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const markdown = args.includes('--markdown');
const minIndex = args.indexOf('--min-confidence');
const minConfidence = minIndex >= 0 ? Number(args[minIndex + 1]) : 0;

const emptyKey = answerKeySchema.parse({ file: '', notes: '', article: { publishedOn: null, title: null, publisher: null, url: null }, films: [], people: [] });

async function evaluate(articles: KeyedArticle[]): Promise<Score> {
  const total = addScores({} as Score, score(keyFacts(emptyKey), proposalFacts([])));
  for (const { name, text, key } of articles) {
    const resolver = new MemoryResolver(key.catalogue.map((e, i) => ({ ...e, id: `${e.type}-${i + 1}` })));
    const proposals = await extract({ text, ...key.article }, resolver);
    const s = score(keyFacts(key), proposalFacts(proposals, minConfidence));
    addScores(total, s);
    if (verbose) {
      console.log(`\n## ${name}`);
      for (const kind of FACT_KINDS) {
        for (const x of s[kind].extra) console.log(`  + ${kind}: ${x}`);
        for (const x of s[kind].missed) console.log(`  - ${kind}: ${x}`);
      }
    }
  }
  return total;
}

const pct = (v: number | null) => (v === null ? '–' : v.toFixed(2));

function table(title: string, s: Score, articles: number) {
  const rows = FACT_KINDS.filter((kind) => s[kind].tp + s[kind].fp + s[kind].fn > 0).map((kind) => {
    const t = s[kind];
    return [kind, String(t.tp + t.fn), String(t.tp + t.fp), String(t.tp), pct(precision(t)), pct(recall(t))];
  });
  const all = FACT_KINDS.reduce((acc, kind) => ({ tp: acc.tp + s[kind].tp, fp: acc.fp + s[kind].fp, fn: acc.fn + s[kind].fn }), { tp: 0, fp: 0, fn: 0 });
  rows.push([
    'all (micro)',
    String(all.tp + all.fn),
    String(all.tp + all.fp),
    String(all.tp),
    pct(precision({ ...all, extra: [], missed: [] })),
    pct(recall({ ...all, extra: [], missed: [] })),
  ]);
  const head = ['kind', 'in key', 'proposed', 'matched', 'precision', 'recall'];
  console.log(
    `\n${markdown ? '#### ' : ''}${title} (${articles} article${articles === 1 ? '' : 's'}${minConfidence ? `, confidence ≥ ${minConfidence}` : ''})\n`,
  );
  if (markdown) {
    console.log(`| ${head.join(' | ')} |\n|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

const seed = await seedKey();
table(`Seed article (seed/her-review.txt, empty catalogue, publishedOn ${seed.key.article.publishedOn})`, await evaluate([seed]), 1);
const undated = await seedKey(null);
undated.name = 'seed without a date';
table('Seed article without publishedOn (release years cannot be inferred)', await evaluate([undated]), 1);
const dev = await loadDevSet();
const tuned = dev.filter((a) => !a.key.heldOut);
const held = dev.filter((a) => a.key.heldOut);
table('Development set (seed/ingest-dev, tuned on)', await evaluate(tuned), tuned.length);
if (held.length > 0) table('Held-out articles (written after the rules were frozen, never tuned on)', await evaluate(held), held.length);
