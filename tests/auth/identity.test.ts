import { createHash } from 'node:crypto';
import { ApiKeys } from '../../src/auth/keys.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { apiKey, bearer, testKeys } from '../helpers/keys.ts';

const TOKEN = 'test-admin-token-0123456789';
const api = useApi();
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  keys = await testKeys(api.db.prisma);
});

const DELETE = 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { userErrors { code } } }';
const nothing = { input: { id: Buffer.from('Film:999999').toString('base64'), version: 1 } };

describe('who is calling', () => {
  let client: Client;
  beforeAll(() => {
    client = createClient(api.db, { adminToken: TOKEN });
  });

  test('scopes imply the ones below them: a write key may read and write, not manage keys; an admin key may do all', async () => {
    const write = await client.query(DELETE, nothing, keys.write.headers);
    expect(write.data!['deleteFilm'].userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const forbidden = await client.query('{ apiKeys { name } }', {}, keys.write.headers);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(forbidden.errors![0]).toMatchObject({
      message: `The API key "${keys.write.name}" lacks the \`admin\` scope this needs.`,
      extensions: { code: 'FORBIDDEN', requiredScopes: ['admin'] },
    });
    expect((await client.query('{ apiKeys { name } }', {}, keys.admin.headers)).errors).toBeUndefined();
    expect((await client.query(DELETE, nothing, keys.admin.headers)).data!['deleteFilm'].userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });

  test('the admin token acts with every scope, as the actor "admin-token"', async () => {
    const result = await client.query('{ apiKeys { name } }', {}, bearer(TOKEN));
    expect(result.errors).toBeUndefined();
    expect(result.data!['apiKeys'].map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining([keys.write.name, keys.admin.name]));
    const created = await client.query(
      'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { revisions { nodes { changeSet { actor } } } } } }',
      { input: { title: 'Bootstrap', note: 'set by the operator' } },
      bearer(TOKEN),
    );
    expect(created.data!['createFilm'].film.revisions.nodes).toEqual([{ changeSet: { actor: 'admin-token' } }]);
  });

  test('a revoked or unknown key leaves reads public and says why a scoped field is refused', async () => {
    for (const [headers, message] of [
      [keys.revoked.headers, /^This API key has been revoked/],
      [bearer(`cg_${'0'.repeat(12)}_${'A'.repeat(43)}`), /^The bearer token is not a valid API key/],
      [bearer(keys.write.token.slice(0, -1) + (keys.write.token.endsWith('A') ? 'B' : 'A')), /^The bearer token is not a valid API key/],
    ] as const) {
      expect((await client.query('{ film(slug: "her") { title } }', {}, headers)).data).toEqual({ film: { title: 'Her' } });
      const refused = await client.query(DELETE, nothing, headers);
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.errors![0]!.message).toMatch(message);
    }
  });

  test('only the SHA-256 of a key is stored', async () => {
    const row = await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keys.write.id } });
    expect(row.secretHash).toBe(createHash('sha256').update(keys.write.token).digest('hex'));
    // The secret is all after `cg_<hex prefix>_`: base64url, so it may itself hold `_` (splitting
    // on the last one made this test fail whenever the tail was a letter such as the A of createdAt).
    const secret = keys.write.token.split('_').slice(2).join('_');
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  test('lastUsedAt is written on first use and at most once a minute after that', async () => {
    const key = await apiKey(api.db.prisma, ['read']);
    const fresh = createClient(api.db);
    expect((await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeNull();
    await fresh.query('{ __typename }', {}, key.headers);
    const first = (await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    api.db.resetStatements();
    await fresh.query('{ __typename }', {}, key.headers);
    expect(api.db.statements.filter((s) => /UPDATE/i.test(s))).toEqual([]);
    expect((await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(first);
    // Another instance (its own memory of what it touched) within the minute: its conditional
    // UPDATE matches no row, so the time stays the first instance's.
    await createClient(api.db).query('{ __typename }', {}, key.headers);
    expect((await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(first);
    // Once the minute has passed (moved back by hand), a use writes the time of that use.
    const old = new Date(Date.now() - 61_000);
    await api.db.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: old } });
    const before = Date.now();
    await createClient(api.db).query('{ __typename }', {}, key.headers);
    const after = (await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt!.getTime();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after).toBeLessThanOrEqual(Date.now());
  });

  test("a key's use writes its own lastUsedAt only, never another key's", async () => {
    const used = await apiKey(api.db.prisma, ['read']);
    const idle = await apiKey(api.db.prisma, ['read']);
    await createClient(api.db).query('{ __typename }', {}, used.headers);
    const rows = await api.db.prisma.apiKey.findMany({ where: { id: { in: [used.id, idle.id] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.lastUsedAt === null)).toEqual([false, true]);
  });
});

describe('the key store (npm run keys)', () => {
  test('list() gives the live keys newest first, and the revoked ones too only when asked; revoke() keeps the first time', async () => {
    const store = new ApiKeys(api.db.prisma);
    const stamp = `${process.pid}-${Date.now()}`;
    const names = ['a', 'b', 'c'].map((n) => `list-${n}-${stamp}`);
    for (const name of names) await store.create({ name, scopes: ['read'] });
    const revoked = await store.revoke(names[1]!);
    expect(revoked).toMatchObject({ name: names[1], revokedAt: expect.any(Date) });
    // Revoking again keeps the first time; an unknown name or prefix revokes nothing.
    expect((await store.revoke(names[1]!))!.revokedAt).toEqual(revoked!.revokedAt);
    expect(await store.revoke(`no-such-key-${stamp}`)).toBeNull();
    const ours = (list: { name: string }[]) => list.map((k) => k.name).filter((n) => names.includes(n));
    expect(ours(await store.list())).toEqual([names[2], names[0]]);
    expect(ours(await store.list({ includeRevoked: true }))).toEqual([names[2], names[1], names[0]]);
  });
});

describe('rate limits per key', () => {
  test('each key spends its own budget; callers without a key share their IP’s', async () => {
    const client = createClient(api.db, { guard: { RATE_LIMIT_POINTS: 20, RATE_LIMIT_WINDOW_SECONDS: 60 } });
    const remaining = async (headers: Record<string, string>) =>
      ((await client.query('{ __typename }', {}, headers)).extensions!['rateLimit'] as { remaining: number }).remaining;
    const a = await apiKey(api.db.prisma, ['read']);
    const b = await apiKey(api.db.prisma, ['read']);
    for (let i = 0; i < 5; i++) await remaining(a.headers);
    expect(await remaining(a.headers)).toBe(14);
    expect(await remaining(b.headers)).toBe(19);
    expect(await remaining({})).toBe(19);
    // A revoked key is not a key: its requests are charged to the IP.
    expect(await remaining(keys.revoked.headers)).toBe(18);
    const exhausted = await Promise.all(Array.from({ length: 15 }, () => client.query('{ __typename }', {}, a.headers)));
    expect(codes(exhausted.at(-1)!)).toEqual(['RATE_LIMITED']);
    expect(await remaining(b.headers)).toBe(18);
  });
});

describe('READ_REQUIRES_KEY', () => {
  let client: Client;
  beforeAll(() => {
    client = createClient(api.db, { readRequiresKey: true });
  });

  test('every query field then needs a key with the read scope (write and admin keys have it)', async () => {
    for (const query of ['{ films(first: 1) { totalCount } }', '{ node(id: "RmlsbTox") { id } }', '{ changes(first: 1) { nodes { id } } }']) {
      const anonymous = await client.query(query);
      expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
      expect(anonymous.errors![0]!.message).toMatch(/`read` scope/);
      expect(codes(await client.query(query, {}, keys.revoked.headers))).toEqual(['UNAUTHENTICATED']);
      for (const key of [keys.read, keys.write, keys.admin]) expect((await client.query(query, {}, key.headers)).errors).toBeUndefined();
    }
  });

  test('off by default: the same reads are public', async () => {
    expect((await createClient(api.db).query('{ films(first: 1) { totalCount } }')).errors).toBeUndefined();
  });
});
