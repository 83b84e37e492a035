import { Prisma } from '../../src/generated/prisma/client.ts';
import { searchTerms } from '../../src/schema/search/query.ts';
import { BRANCH_LIMIT, SEARCH_WINDOW, searchStatement } from '../../src/schema/search/sql.ts';
import { SEARCH_INDEXES } from '../helpers/hand-written.ts';
import { useApi } from '../helpers/graphql.ts';

// Enough rows that reading every title and computing its tsvector and trigrams costs the planner
// far more than a GIN lookup: no planner setting is touched, the indexes win on cost alone.
const FILMS = 5_000;
const PEOPLE = 5_000;
// Titles sharing the prefix "Broadcast", far more than one search may read. Each film also has an
// alternative title (FilmTitle, searched like aliases).
const BROAD = 3_000;

// Pseudo-random words (md5 hex) so titles and names share few trigrams, as real ones do.
const api = useApi(async (db) => {
  const session = await db.openSession();
  await session.exec(`
    INSERT INTO "Film" (slug, title, "originalTitle", synopsis, "updatedAt")
      SELECT 'plan-film-' || g, initcap(substr(md5(g::text), 1, 7)) || ' ' || initcap(substr(md5((g * 7)::text), 3, 6)),
             CASE WHEN g % 4 = 0 THEN initcap(substr(md5((g * 3)::text), 1, 9)) END,
             'A story about ' || substr(md5((g * 11)::text), 1, 8) || ' and ' || substr(md5((g * 13)::text), 1, 8) || '.',
             now()
        FROM generate_series(1, ${FILMS}) AS g;
    INSERT INTO "Film" (slug, title, "updatedAt")
      SELECT 'plan-broad-' || g, 'Broadcast ' || g, now() FROM generate_series(1, ${BROAD}) AS g;
    INSERT INTO "Person" (slug, name, "updatedAt")
      SELECT 'plan-person-' || g, initcap(substr(md5((g * 17)::text), 1, 6)) || ' ' || initcap(substr(md5((g * 19)::text), 2, 8)), now()
        FROM generate_series(1, ${PEOPLE}) AS g;
    INSERT INTO "PersonAlias" ("personId", name, "updatedAt")
      SELECT id, initcap(substr(md5((id * 23)::text), 1, 10)), now() FROM "Person" WHERE slug LIKE 'plan-person-%';
    INSERT INTO "FilmTitle" ("filmId", title, region, "updatedAt")
      SELECT id, initcap(substr(md5((id * 31)::text), 1, 8)) || ' ' || initcap(substr(md5((id * 37)::text), 2, 6)), 'FR', now()
        FROM "Film" WHERE slug LIKE 'plan-film-%';
    INSERT INTO "Publication" (slug, name, "updatedAt")
      SELECT 'plan-outlet-' || g, 'The ' || initcap(substr(md5((g * 29)::text), 1, 7)), now() FROM generate_series(1, 1000) AS g;
    ANALYZE;
  `);
  await session.close();
});

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Index Name'?: string;
  'Relation Name'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const filteringScans = (plan: PlanNode[]) => plan.filter((n) => n['Node Type'] === 'Seq Scan' && n.Filter).map((n) => `${n['Relation Name']}: ${n.Filter}`);

async function explain(query: string, analyze = false) {
  const statement = searchStatement({
    terms: searchTerms(query),
    types: ['FILM', 'PERSON', 'PUBLICATION'],
    after: null,
    take: 21,
  });
  const rows = await api.db.prisma.$queryRaw<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
    analyze ? Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}` : Prisma.sql`EXPLAIN (FORMAT JSON) ${statement}`,
  );
  return nodes(rows[0]!['QUERY PLAN'][0].Plan);
}

test('a search finds its candidates through every GIN index (full-text and trigram, each searched field) and tests no row by a sequential scan', async () => {
  const plan = await explain('Joaquin Pheonix');
  const used = new Set(plan.filter((n) => n['Index Name']).map((n) => n['Index Name']!));
  for (const index of SEARCH_INDEXES) expect({ index: index.name, used: used.has(index.name) }).toEqual({ index: index.name, used: true });
  // No table is scanned to test the search conditions row by row. (A small table may still be
  // read whole to join the candidate ids back to their rows, which tests nothing.)
  expect(filteringScans(plan)).toEqual([]);
});

test('a one-word type-ahead prefix is also answered from the indexes', async () => {
  const plan = await explain('Synth');
  expect(filteringScans(plan)).toEqual([]);
  expect(plan.some((n) => n['Index Name'] === 'Film_title_search_idx')).toBe(true);
});

test('the synthetic rows are really searched: a misspelt generated name is found first', async () => {
  const person = await api.db.prisma.person.findUniqueOrThrow({ where: { slug: 'plan-person-1234' } });
  const misspelt = `${person.name.slice(0, -2)}x${person.name.slice(-1)}`;
  const result = await api.client.query(
    `{ search(query: ${JSON.stringify(misspelt)}, types: [PERSON], first: 1) { edges { node { ... on Person { slug } } } } }`,
  );
  expect(result.data!.search.edges).toEqual([{ node: { slug: 'plan-person-1234' } }]);
});

describe('a prefix shared by 3,000 titles', () => {
  test('reads at most BRANCH_LIMIT rows from any index or table, and skips the full-text and trigram scans of titles', async () => {
    const plan = await explain('Broadc', true);
    const scans = plan.filter((n) => /Scan/.test(n['Node Type']) && n['Actual Loops']! > 0);
    const read = scans.map((n) => ({ node: `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name'] ?? ''}`, rows: n['Actual Rows']! * n['Actual Loops']! }));
    expect(read.filter((r) => r.rows > BRANCH_LIMIT)).toEqual([]);
    const prefix = plan.find((n) => n['Index Name'] === 'Film_title_prefix_idx')!;
    expect(prefix['Actual Rows']).toBe(BRANCH_LIMIT);
    // Never executed: the prefix branch filled, so no bitmap of all 3,000 matches is built.
    for (const name of ['Film_title_search_idx', 'Film_title_trgm_idx', 'Film_synopsis_search_idx']) {
      expect(plan.filter((n) => n['Index Name'] === name).map((n) => n['Actual Loops'])).toEqual(plan.some((n) => n['Index Name'] === name) ? [0] : []);
    }
  });

  const BROAD_SEARCH = `query ($after: String) { search(query: "Broadc", types: [FILM], first: 100, after: $after) {
    totalCount totalCountIsExact pageInfo { hasNextPage endCursor } edges { score node { ... on Film { slug } } } } }`;

  test(`pages reach the best ${SEARCH_WINDOW} results, and totalCount says it is a lower bound`, async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await api.client.query(BROAD_SEARCH, after ? { after } : {});
      expect(result.errors).toBeUndefined();
      const search = result.data!.search;
      expect({ totalCount: search.totalCount >= SEARCH_WINDOW, exact: search.totalCountIsExact }).toEqual({ totalCount: true, exact: false });
      seen.push(...search.edges.map((e: { node: { slug: string } }) => e.node.slug));
      if (!search.pageInfo.hasNextPage) break;
      after = search.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(SEARCH_WINDOW);
    expect(new Set(seen).size).toBe(SEARCH_WINDOW);
    expect(seen.every((slug) => slug.startsWith('plan-broad-'))).toBe(true);
  });

  test('a narrow search counts exactly, and its pages hold every match it counts', async () => {
    const person = await api.db.prisma.person.findUniqueOrThrow({ where: { slug: 'plan-person-4321' } });
    const result = await api.client.query(
      `{ search(query: ${JSON.stringify(person.name)}, types: [PERSON], first: 100) { totalCount totalCountIsExact edges { node { ... on Person { slug } } } } }`,
    );
    const search = result.data!.search;
    expect(search.totalCountIsExact).toBe(true);
    expect(search.edges[0]).toEqual({ node: { slug: 'plan-person-4321' } });
    expect(search.edges).toHaveLength(search.totalCount);
  });
});
