import { onPostgres } from '../helpers/db.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateFilmInput!) {
    createFilm(input: $input) {
      film {
        id
        title
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'idem', 'Ran (1985). Kagemusha (1980). Dreams (1990).').then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
});

const input = (title: string, extra: Record<string, unknown> = {}) => ({ title, citations: [{ sourceSlug: 'idem', excerpt: title }], ...extra });
const create = (variables: Record<string, unknown>, headers: Headers = write) => client.query(CREATE, variables, headers).then((r) => r.data!['createFilm']);
const counts = async () => ({ films: await api.db.prisma.film.count(), changeSets: await api.db.prisma.changeSet.count() });

test('a retry with the same Idempotency-Key header returns the first result and writes nothing more', async () => {
  const before = await counts();
  const first = await create({ input: input('Ran') }, { ...write, 'idempotency-key': 'ran-1' });
  const retry = await create({ input: input('Ran') }, { ...write, 'idempotency-key': 'ran-1' });
  expect(first.userErrors).toEqual([]);
  expect(retry).toEqual(first);
  expect(await counts()).toEqual({ films: before.films + 1, changeSets: before.changeSets + 1 });
});

test('the input field works as the header does, and the same key with another request is IDEMPOTENCY_KEY_REUSED', async () => {
  const first = await create({ input: input('Kagemusha', { idempotencyKey: 'kage-1' }) });
  expect(await create({ input: input('Kagemusha', { idempotencyKey: 'kage-1' }) })).toEqual(first);
  expect(await create({ input: input('Kagemusha') }, { ...write, 'idempotency-key': 'kage-1' })).toEqual(first);
  const before = await counts();
  const reused = await create({ input: input('Kagemusha', { idempotencyKey: 'kage-1', year: 1980 }) });
  expect(reused.film).toBeNull();
  expect(reused.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['IDEMPOTENCY_KEY_REUSED', ['input', 'idempotencyKey']]]);
  expect(await counts()).toEqual(before);
});

test('keys belong to their caller: another key with the same idempotency key writes its own film', async () => {
  const mine = await create({ input: input('Dreams') }, { ...write, 'idempotency-key': 'dreams' });
  const theirs = await create({ input: input('Dreams') }, { ...keys.admin.headers, 'idempotency-key': 'dreams' });
  expect(theirs.userErrors).toEqual([]);
  expect(theirs.film.id).not.toBe(mine.film.id);
});

test('a write that failed leaves no key behind: a corrected request with the same key goes through', async () => {
  const failed = await create(
    { input: { title: 'Ran', citations: [{ sourceSlug: 'idem', excerpt: 'not there' }] } },
    { ...write, 'idempotency-key': 'fix-me' },
  );
  expect(failed.userErrors.map((e: { code: string }) => e.code)).toEqual(['EXCERPT_NOT_FOUND']);
  const fixed = await create({ input: input('Ran', { slug: 'ran-fixed' }) }, { ...write, 'idempotency-key': 'fix-me' });
  expect(fixed.userErrors).toEqual([]);
});

test('after 24 hours a key is forgotten: the expired row is replaced and the request runs again', async () => {
  const first = await create({ input: input('Ran', { slug: 'ran-expiring' }) }, { ...write, 'idempotency-key': 'expiring' });
  await api.db.prisma.idempotencyKey.updateMany({ where: { key: 'expiring' }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const later = await create({ input: input('Ran', { slug: 'ran-expiring' }) }, { ...write, 'idempotency-key': 'expiring' });
  // A second film with that slug is refused; what matters is that it ran instead of replaying.
  expect(later.userErrors.map((e: { code: string }) => e.code)).toEqual(['TAKEN']);
  expect(first.userErrors).toEqual([]);
  const retry = await create({ input: input('Ran', { slug: 'ran-expiring-2' }) }, { ...write, 'idempotency-key': 'expiring' });
  expect(retry.userErrors).toEqual([]);
  expect(await api.db.prisma.idempotencyKey.count({ where: { key: 'expiring' } })).toBe(1);
});

test('a malformed key, or a header and an input field that differ, are INVALID', async () => {
  expect((await create({ input: input('Ran') }, { ...write, 'idempotency-key': 'has space' })).userErrors.map((e: { code: string }) => e.code)).toEqual([
    'INVALID',
  ]);
  const both = await create({ input: input('Ran', { idempotencyKey: 'a' }) }, { ...write, 'idempotency-key': 'b' });
  expect(both.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['INVALID', ['input', 'idempotencyKey']]]);
});

test('concurrent duplicates: one writes, every other returns its result', async () => {
  const n = onPostgres ? 50 : 10;
  const before = await counts();
  const results = await Promise.all(
    Array.from({ length: n }, () => create({ input: input('Ran', { slug: 'ran-concurrent' }) }, { ...write, 'idempotency-key': 'burst' })),
  );
  expect(results.every((r) => r.userErrors.length === 0)).toBe(true);
  expect(new Set(results.map((r) => r.film.id)).size).toBe(1);
  expect(await counts()).toEqual({ films: before.films + 1, changeSets: before.changeSets + 1 });
});
