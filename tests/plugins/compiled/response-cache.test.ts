import { jest } from '@jest/globals';
import { compiledExecutionStats } from '../../../src/plugins/compiled/execution.ts';
import { createClient, useApi } from '../../helpers/graphql.ts';

// Compiled execution and the response cache together (both on by default): a compiled execution
// must fill the cache and a later request be served from it. The cache wraps the execute function
// it finds, so graphql-jit has to have set its own before (src/yoga.ts orders them).
const api = useApi();
const guard = { RATE_LIMIT_ENABLED: false };

test('a compiled execution is stored by the response cache and the next request is served from it', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const client = createClient(api.db, { jit: true, jitAfter: 1, guard, responseCache: { ttlMs: 60_000, admitAfter: 1 } });
    const query = '{ film(slug: "her") { synopsis directors { name } } }';
    const read = async () => (await client.query(query)).data!['film'] as { synopsis: string | null; directors: { name: string }[] };
    const before = compiledExecutionStats().compiledExecutions;
    const stored = await read();
    expect(compiledExecutionStats().compiledExecutions - before).toBe(1);
    const { synopsis: original } = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
    await api.db.prisma.film.update({ where: { slug: 'her' }, data: { synopsis: 'behind the cache' } });
    try {
      expect(await read()).toEqual(stored);
      expect(stored.directors.length).toBeGreaterThan(0);
    } finally {
      await api.db.prisma.film.update({ where: { slug: 'her' }, data: { synopsis: original } });
    }
    expect(warn).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
  }
});

test('a mutation of a film makes the next compiled read of it fresh (the compiled result was tagged with its entities)', async () => {
  const TOKEN = 'test-admin-token-0123456789';
  const admin = { authorization: `Bearer ${TOKEN}` };
  const client = createClient(api.db, { jit: true, jitAfter: 1, guard, adminToken: TOKEN, responseCache: { ttlMs: 60_000, admitAfter: 1 } });
  const query = '{ film(slug: "her") { title synopsis } }';
  const synopsis = async () => ((await client.query(query)).data!['film'] as { synopsis: string }).synopsis;
  const first = await synopsis();
  await api.db.prisma.film.update({ where: { slug: 'her' }, data: { synopsis: 'changed behind the cache' } });
  expect(await synopsis()).toBe(first);
  const { id, version } = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
  const herId = Buffer.from(`Film:${id}`).toString('base64');
  const input = { id: herId, version, synopsis: 'set by updateFilm', citations: [{ sourceSlug: 'her-review', excerpt: 'Her' }] };
  const result = await client.query('mutation U($input: UpdateFilmInput!) { updateFilm(input: $input) { userErrors { code } } }', { input }, admin);
  expect(result.data!['updateFilm']).toEqual({ userErrors: [] });
  expect(await synopsis()).toBe('set by updateFilm');
});
