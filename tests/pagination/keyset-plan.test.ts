import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import { insertCatalog } from '../helpers/factory.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';

// A page deep in a list starts reading at its cursor: the keyset statement bounds the index scan
// by the cursor's leading key (and splits a nullable leading key into two ranges), so the rows it
// reads stay near one page however far in the page is. Results alone cannot show this (the
// bounds are redundant with the keyset condition), so the plan is read: EXPLAIN ANALYZE of the
// exact statement the API sent, through a client that also runs each page statement under EXPLAIN.

// KEYSET_PROPERTY_QUICK=1 (the mutation runs, where this file runs once per mutant): 1,000 films
// and a page 600 deep, still three times the rows a bounded scan may read.
const QUICK = process.env['KEYSET_PROPERTY_QUICK'] === '1';
const FILMS = QUICK ? 1_000 : 3_000;
const DEPTH = QUICK ? 600 : 2_000;
const PAGE = 20;
const api = useApi(async (db) => {
  await insertCatalog(db.prisma, { films: FILMS, seed: 13, prefix: 'plan-' });
  await db.prisma.$executeRawUnsafe('ANALYZE');
});

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** The client, and the rows the scans of the last page statement read: returned or filtered out, over every loop. */
function explainingClient(): { client: Client; rowsRead: () => number } {
  let last: PlanNode | undefined;
  const prisma = new Proxy(api.db.prisma, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== '$queryRaw') return typeof value === 'function' ? value.bind(target) : value;
      return async (strings: TemplateStringsArray, ...values: unknown[]) => {
        const statement = Prisma.sql(strings, ...values);
        // The page statement: the only one joining the page to its "other side" flag.
        if (statement.sql.includes('LEFT JOIN (')) {
          const [row] = await target.$queryRaw<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`;
          last = row!['QUERY PLAN'][0].Plan;
        }
        return target.$queryRaw(strings, ...values);
      };
    },
  }) as PrismaClient;
  return {
    client: createClient({ ...api.db, prisma }),
    rowsRead: () =>
      nodes(last!)
        .filter((n) => /Scan/.test(n['Node Type']))
        .reduce((sum, n) => sum + ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1), 0),
  };
}

test.each([
  ['TITLE (not null)', '[{ field: TITLE }]', 'forward'],
  ['YEAR DESC (nullable)', '[{ field: YEAR, direction: DESC }]', 'forward'],
  ['CREATED_AT (not null, ties)', '[{ field: CREATED_AT }]', 'forward'],
  ['TITLE (not null)', '[{ field: TITLE }]', 'backward'],
  ['YEAR DESC (nullable)', '[{ field: YEAR, direction: DESC }]', 'backward'],
])(`a page ${DEPTH} films into the list ordered by %s, paging %s, reads about one page of rows`, async (_name, orderBy, direction) => {
  const { client, rowsRead } = explainingClient();
  // The cursor of the DEPTH-th film, in pages of 100.
  let cursor: string | null = null;
  for (let i = 0; i < DEPTH / 100; i++) {
    const page: { data?: Record<string, any> | null } = await client.query(
      `query ($after: String) { films(first: 100, orderBy: ${orderBy}, after: $after) { pageInfo { endCursor } } }`,
      { after: cursor },
    );
    cursor = page.data!['films'].pageInfo.endCursor;
  }
  const args = direction === 'forward' ? `first: ${PAGE}, after: $cursor` : `last: ${PAGE}, before: $cursor`;
  const result = await client.query(`query ($cursor: String) { films(${args}, orderBy: ${orderBy}) { nodes { slug } } }`, { cursor });
  expect(result.errors).toBeUndefined();
  expect(result.data!['films'].nodes).toHaveLength(PAGE);
  const read = rowsRead();
  console.info(`keyset plan, ${orderBy} ${direction}: ${read} rows read by the scans of a page ${DEPTH} films deep`);
  expect(read).toBeLessThan(10 * PAGE);
});
