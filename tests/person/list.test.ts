import { insertCatalog } from '../helpers/factory.ts';
import { useApi } from '../helpers/graphql.ts';

const api = useApi((db) => insertCatalog(db.prisma, { films: 600, seed: 9 }));

interface OraclePerson {
  id: number;
  slug: string;
  name: string;
  nameRank: number;
  createdAt: number;
  credits: { filmSlug: string; department: string; job: string }[];
}
let people: OraclePerson[];
beforeAll(async () => {
  const rows = await api.db.prisma.person.findMany({
    select: { id: true, slug: true, name: true, createdAt: true, credits: { select: { department: true, job: true, film: { select: { slug: true } } } } },
  });
  // name order in the database's collation, so NAME ties and order match SQL
  const ranks = await api.db.prisma.$queryRaw<{ id: number; rank: number }[]>`
    SELECT "id", CAST(dense_rank() OVER (ORDER BY "name") AS int) AS "rank" FROM "Person"`;
  const rankOf = new Map(ranks.map((r) => [r.id, r.rank]));
  people = rows.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    nameRank: rankOf.get(p.id)!,
    createdAt: p.createdAt.getTime(),
    credits: p.credits.map((c) => ({ filmSlug: c.film.slug, department: c.department, job: c.job })),
  }));
});

interface Filter {
  name?: string;
  filmSlug?: string;
  department?: string;
  job?: string;
}
type Order = { field: 'NAME' | 'CREATED_AT' | 'CREDIT_COUNT'; direction: 'ASC' | 'DESC' };

function expected(filter: Filter, orderBy: Order[] = []): string[] {
  const kept = people.filter(
    (p) =>
      (!filter.name || p.name.toLowerCase().includes(filter.name.toLowerCase())) &&
      (!(filter.filmSlug || filter.department || filter.job) ||
        p.credits.some(
          (c) =>
            (!filter.filmSlug || c.filmSlug === filter.filmSlug) &&
            (!filter.department || c.department === filter.department) &&
            (!filter.job || c.job.toLowerCase() === filter.job.toLowerCase()),
        )),
  );
  const key = (p: OraclePerson, field: Order['field']) => (field === 'NAME' ? p.nameRank : field === 'CREATED_AT' ? p.createdAt : p.credits.length);
  return kept
    .sort((a, b) => {
      for (const t of orderBy) {
        const d = key(a, t.field) - key(b, t.field);
        if (d !== 0) return t.direction === 'DESC' ? -d : d;
      }
      return a.id - b.id;
    })
    .map((p) => p.slug);
}

const QUERY = `query ($filter: PersonFilter, $orderBy: [PersonOrder!], $first: Int, $after: String, $last: Int, $before: String) {
  people(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { slug }
  }
}`;

async function walk(filter: Filter, orderBy: Order[], size: number, backward = false) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let total: number;
  for (let n = 0; n < 500; n++) {
    const result: any = await api.client.query(
      QUERY,
      backward ? { filter, orderBy, last: size, before: cursor } : { filter, orderBy, first: size, after: cursor },
    );
    expect(result.errors).toBeUndefined();
    const page = result.data.people;
    total = page.totalCount;
    const slugs = page.nodes.map((x: { slug: string }) => x.slug);
    if (backward) seen.unshift(...slugs);
    else seen.push(...slugs);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) return { seen, total };
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

test.each<[string, Filter, Order[]]>([
  [
    'everyone by CREDIT_COUNT descending (many ties), then NAME',
    {},
    [
      { field: 'CREDIT_COUNT', direction: 'DESC' },
      { field: 'NAME', direction: 'ASC' },
    ],
  ],
  ['a name fragment, case-insensitive, by NAME', { name: 'ana sA' }, [{ field: 'NAME', direction: 'ASC' }]],
  ['directors by CREATED_AT descending (import batches tie)', { job: 'director' }, [{ field: 'CREATED_AT', direction: 'DESC' }]],
  ['the writing department by CREDIT_COUNT', { department: 'WRITING' }, [{ field: 'CREDIT_COUNT', direction: 'ASC' }]],
  ["a film's cast", { filmSlug: 'cat-film-7', job: 'Actor' }, []],
])('%s: pages forwards and backwards visit exactly the matching people in order', async (_name, filter, orderBy) => {
  const want = expected(filter, orderBy);
  expect(want.length).toBeGreaterThan(0);
  const forward = await walk(filter, orderBy, 37);
  expect(forward.seen).toEqual(want);
  expect(forward.total).toBe(want.length);
  expect((await walk(filter, orderBy, 41, true)).seen).toEqual(want);
});

test('filmSlug, department and job must hold on the same credit', async () => {
  const ask = async (filter: Filter) =>
    ((await api.client.query(QUERY, { filter, orderBy: [{ field: 'NAME' }] })).data!.people.nodes as { slug: string }[]).map((n) => n.slug);
  expect(await ask({ filmSlug: 'her' })).toEqual(['joaquin-phoenix', 'scarlett-johansson', 'spike-jonze']);
  expect(await ask({ filmSlug: 'her', job: 'writer' })).toEqual(['spike-jonze']);
  expect(await ask({ filmSlug: 'her', department: 'ACTING' })).toEqual(['joaquin-phoenix', 'scarlett-johansson']);
  // Phoenix acted in Her and Spike Jonze directed it, but nobody both acted in and directed it
  expect(await ask({ filmSlug: 'her', department: 'ACTING', job: 'Director' })).toEqual([]);
});

test('wildcards in a name filter match literally', async () => {
  const result = await api.client.query(QUERY, { filter: { name: '%' } });
  expect(result.data!.people).toMatchObject({ totalCount: 0, nodes: [] });
});

test("Her's people by CREDIT_COUNT: Jonze (4 credits), Phoenix (3), Johansson (1)", async () => {
  const result = await api.client.query(
    '{ people(filter: { filmSlug: "her" }, orderBy: [{ field: CREDIT_COUNT, direction: DESC }]) { totalCount nodes { slug } } }',
  );
  expect(result.data!.people).toEqual({
    totalCount: 3,
    nodes: [{ slug: 'spike-jonze' }, { slug: 'joaquin-phoenix' }, { slug: 'scarlett-johansson' }],
  });
});
