import { createMemoryCache } from '../../../src/plugins/response-cache/memory-store.ts';
import { createClient, useApi, type Client } from '../../helpers/graphql.ts';

// The in-memory response cache's byte budget (RESPONSE_CACHE_MAX_BYTES): what it holds is
// bounded by the JSON length of real responses, not only by their count, so that it fits the
// heap limit `npm start` sets (docs/operations.md#memory). Read through /metrics, as an operator would.

const DETAIL = `query Detail($slug: String!) {
  film(slug: $slug) { slug title synopsis year credits(first: 20) { nodes { character person { name } } } }
}`;

describe('the in-memory response cache with a byte budget', () => {
  const api = useApi();
  let slugs: string[];
  /** The JSON length of each film's detail as stored (its data and cost): what the store counts for it. */
  let sizes: Map<string, number>;

  beforeAll(async () => {
    const uncached = createClient(api.db);
    const list = await uncached.query('{ films(first: 4) { nodes { slug } } }');
    slugs = list.data!['films'].nodes.map((n: { slug: string }) => n.slug);
    expect(slugs).toHaveLength(4);
    sizes = new Map();
    for (const slug of slugs) {
      const { data, errors, extensions } = await uncached.query(DETAIL, { slug });
      expect(errors).toBeUndefined();
      // The stored result carries the cost it was priced at, which a hit reports (plugins/cost/cost.ts).
      sizes.set(slug, JSON.stringify({ data, extensions: { cost: extensions?.['cost'] } }).length);
    }
  });

  const scrape = async (client: Client) => {
    const text = await (await client.yoga.fetch('http://cinegraph.test/metrics')).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const lookups = (result: string) => Number(new RegExp(`^cinegraph_response_cache_requests_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    return { entries: value('cinegraph_response_cache_entries'), bytes: value('cinegraph_response_cache_bytes'), hits: lookups('hit') };
  };

  test('evicts the least recently used responses once their JSON outgrows the budget, though the entry limit is far', async () => {
    const [a, b, c] = slugs.map((slug) => sizes.get(slug)!);
    // Room for any two of the first three films' details, not for all three.
    const budget = a! + b! + c! - 1;
    const client = createClient(api.db, { responseCache: { ttlMs: 60_000, admitAfter: 1, maxEntries: 1_000, maxBytes: budget } });
    for (const slug of slugs.slice(0, 3)) await client.query(DETAIL, { slug });

    const held = await scrape(client);
    expect(held.entries).toBe(2);
    // The second and third: at least their stored JSON (data and cost), within the budget.
    expect(held.bytes).toBeGreaterThanOrEqual(b! + c!);
    expect(held.bytes).toBeLessThanOrEqual(budget);

    // The second and third are served from the cache; the first was evicted and is executed again.
    await client.query(DETAIL, { slug: slugs[1] });
    await client.query(DETAIL, { slug: slugs[2] });
    expect((await scrape(client)).hits).toBe(held.hits + 2);
    await client.query(DETAIL, { slug: slugs[0] });
    expect((await scrape(client)).hits).toBe(held.hits + 2);
  });

  test('does not store a response larger than the whole budget, and keeps answering it', async () => {
    const smallest = Math.min(...sizes.values());
    const client = createClient(api.db, { responseCache: { ttlMs: 60_000, admitAfter: 1, maxBytes: smallest - 1 } });
    const first = await client.query(DETAIL, { slug: slugs[0] });
    const again = await client.query(DETAIL, { slug: slugs[0] });
    expect(again.data).toEqual(first.data);
    expect(await scrape(client)).toEqual({ entries: 0, bytes: 0, hits: 0 });
  });

  test('indexes no entity of a response it refused, so invalidation has nothing to forget', () => {
    const store = createMemoryCache({ max: 10, maxBytes: 64 });
    store.set('small', { data: { film: { slug: 'her' } } }, [{ typename: 'Film', id: 1 }], 60_000);
    store.set(
      'large',
      { data: { film: { slug: 'x'.repeat(100) } } },
      [
        { typename: 'Film', id: 2 },
        { typename: 'Person', id: 3 },
      ],
      60_000,
    );
    expect(store.get('large')).toBeUndefined();
    expect(store.size()).toEqual({ responses: 1, entities: 2 });
    expect(store.bytes()).toBe(JSON.stringify({ data: { film: { slug: 'her' } } }).length);
  });
});
