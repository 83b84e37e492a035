import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadTrustedDocuments, TrustedDocumentsError } from '../../src/plugins/trusted-documents.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ROOT = path.resolve(import.meta.dirname, '../..');
const get = async (url: string, query: Record<string, string>, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}?${new URLSearchParams(query)}`, { headers: { accept: 'application/graphql-response+json', ...headers } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: any[] } };
};
const codes = (body: { errors?: any[] }) => body.errors?.map((e) => e.extensions?.code);
const FILM_TITLE = 'query FilmTitle($slug: String!) { film(slug: $slug) { title } }';
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-trusted-'));
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('automatic persisted queries (no manifest configured)', () => {
  let http: HttpServer;
  beforeAll(async () => {
    http = await startHttpServer(db);
  });
  afterAll(() => http?.close());

  test('an unknown hash gets PersistedQueryNotFound; the retry with the query registers it; the hash alone then runs', async () => {
    const hash = sha256(FILM_TITLE);
    const variables = { slug: 'her' };
    const miss = await post(http.url, { variables, extensions: apq(hash) });
    expect(miss.status).toBe(404);
    expect(miss.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    const register = await post(http.url, { query: FILM_TITLE, variables, extensions: apq(hash) });
    expect(register.status).toBe(200);
    expect(register.body.data).toEqual({ film: { title: 'Her' } });

    const hit = await post(http.url, { variables: { slug: 'gladiator' }, extensions: apq(hash) });
    expect(hit.body.data).toEqual({ film: { title: 'Gladiator' } });
    expect(hit.body.extensions?.cost).toEqual({ requested: 1, actual: 1, limit: 5000 });

    // APQ's usual transport for CDN-cacheable reads: GET with the hash only.
    const get = await fetch(`${http.url}?variables=${encodeURIComponent('{"slug":"her"}')}&extensions=${encodeURIComponent(JSON.stringify(apq(hash)))}`, {
      headers: { accept: 'application/json' },
    });
    expect((await get.json()).data).toEqual({ film: { title: 'Her' } });
  });

  test('a query sent with a hash that is not its SHA-256 is refused and not registered', async () => {
    const wrong = sha256('something else');
    const response = await post(http.url, { query: '{ films { totalCount } }', extensions: apq(wrong) });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    expect((await post(http.url, { extensions: apq(wrong) })).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  test('registrations are kept in an LRU of APQ_CACHE_SIZE documents', async () => {
    const small = await startHttpServer(db, { guard: { APQ_CACHE_SIZE: 1 } });
    try {
      const a = '{ films { totalCount } }';
      const b = '{ people { totalCount } }';
      await post(small.url, { query: a, extensions: apq(sha256(a)) });
      await post(small.url, { query: b, extensions: apq(sha256(b)) });
      expect((await post(small.url, { extensions: apq(sha256(b)) })).body.data).toEqual({ people: { totalCount: expect.any(Number) } });
      expect((await post(small.url, { extensions: apq(sha256(a)) })).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await small.close();
    }
  });
});

describe('trusted documents (TRUSTED_DOCUMENTS manifest)', () => {
  let http: HttpServer;
  const id = sha256(FILM_TITLE);
  beforeAll(async () => {
    const file = path.join(dir, 'persisted-documents.json');
    writeFileSync(file, JSON.stringify({ [id]: FILM_TITLE }));
    http = await startHttpServer(db, { trustedDocuments: loadTrustedDocuments(file) });
  });
  afterAll(() => http?.close());

  test('a manifest document runs by documentId or by persistedQuery hash, still priced and limited', async () => {
    const byId = await post(http.url, { documentId: id, variables: { slug: 'her' } });
    expect(byId.status).toBe(200);
    expect(byId.body.data).toEqual({ film: { title: 'Her' } });
    expect(byId.body.extensions?.cost).toEqual({ requested: 1, actual: 1, limit: 5000 });
    expect(byId.headers.get('ratelimit-limit')).toBe('50000');
    const byHash = await post(http.url, { variables: { slug: 'her' }, extensions: apq(id) });
    expect(byHash.body.data).toEqual({ film: { title: 'Her' } });
  });

  test.each([
    ['an arbitrary query', { query: '{ films { totalCount } }' }, 400, 'PERSISTED_QUERY_ONLY'],
    ['a manifest document sent as text', { query: FILM_TITLE, variables: { slug: 'her' } }, 400, 'PERSISTED_QUERY_ONLY'],
    ['an APQ registration', { query: '{ films { totalCount } }', extensions: apq(sha256('{ films { totalCount } }')) }, 400, 'PERSISTED_QUERY_ONLY'],
    ['an unknown id', { documentId: sha256('nope') }, 404, 'PERSISTED_QUERY_NOT_FOUND'],
    ['neither id nor query', { variables: {} }, 400, 'PERSISTED_QUERY_ONLY'],
  ])('%s is refused before any SQL runs', async (_name, body, status, code) => {
    db.resetStatements();
    const response = await post(http.url, body);
    expect(response.status).toBe(status);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(db.statements).toEqual([]);
  });
});

describe("codegen's client-preset manifest (keys `sha256:<hex>`)", () => {
  let http: HttpServer;
  const hex = sha256(FILM_TITLE);
  beforeAll(async () => {
    const file = path.join(dir, 'codegen-persisted-documents.json');
    writeFileSync(file, JSON.stringify({ [`sha256:${hex}`]: FILM_TITLE }));
    http = await startHttpServer(db, { trustedDocuments: loadTrustedDocuments(file) });
  });
  afterAll(() => http?.close());

  test.each([
    ['documentId with the prefix', { documentId: `sha256:${hex}` }],
    ['documentId without it', { documentId: hex }],
    ['documentId in upper case', { documentId: `SHA256:${hex.toUpperCase()}` }],
    ["Relay's doc_id", { doc_id: `sha256:${hex}` }],
    ['the APQ hash', { extensions: apq(hex) }],
    ['the APQ hash with the prefix', { extensions: apq(`sha256:${hex}`) }],
  ])('runs by POST with %s', async (_name, ids) => {
    const response = await post(http.url, { ...ids, variables: { slug: 'her' } });
    expect([response.status, response.body.data]).toEqual([200, { film: { title: 'Her' } }]);
  });

  test.each([
    ['documentId', { documentId: `sha256:${hex}` }],
    ['documentId without the prefix', { documentId: hex }],
    ['doc_id', { doc_id: `sha256:${hex}` }],
    ['the APQ extension', { extensions: JSON.stringify(apq(`sha256:${hex}`)) }],
  ])('runs by GET with %s in the query string', async (_name, ids) => {
    const response = await get(http.url, { ...ids, variables: JSON.stringify({ slug: 'gladiator' }) });
    expect([response.status, response.body.data]).toEqual([200, { film: { title: 'Gladiator' } }]);
  });

  test('by GET, an unknown id is PERSISTED_QUERY_NOT_FOUND and a query text PERSISTED_QUERY_ONLY', async () => {
    const unknown = await get(http.url, { documentId: `sha256:${sha256('nope')}` });
    expect([unknown.status, codes(unknown.body)]).toEqual([404, ['PERSISTED_QUERY_NOT_FOUND']]);
    const text = await get(http.url, { query: FILM_TITLE, variables: JSON.stringify({ slug: 'her' }) });
    expect([text.status, codes(text.body)]).toEqual([400, ['PERSISTED_QUERY_ONLY']]);
  });
});

describe("Relay's persisted queries, from the real relay-compiler (persistConfig.file)", () => {
  const RELAY_QUERY = 'query FilmPageQuery($slug: String!) { film(slug: $slug) { id title } }';
  const compile = async (algorithm: 'MD5' | 'SHA256') => {
    const project = path.join(dir, `relay-${algorithm}`);
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'src/FilmPage.js'), `import { graphql } from 'react-relay';\nexport const query = graphql\`${RELAY_QUERY}\`;\n`);
    writeFileSync(path.join(project, 'persisted.json'), '{}');
    writeFileSync(
      path.join(project, 'relay.config.json'),
      JSON.stringify({
        src: './src',
        schema: path.join(ROOT, 'schema.graphql'),
        language: 'javascript',
        persistConfig: { file: './persisted.json', algorithm },
      }),
    );
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/relay-compiler/cli.js')], { cwd: project });
    const manifest = JSON.parse(readFileSync(path.join(project, 'persisted.json'), 'utf8')) as Record<string, string>;
    // The id Relay's runtime sends is the one in the generated artifact's params.
    const artifact = readFileSync(path.join(project, 'src/__generated__/FilmPageQuery.graphql.js'), 'utf8');
    return { file: path.join(project, 'persisted.json'), manifest, id: /"id": "([0-9a-f]+)"/.exec(artifact)![1]! };
  };

  test.each(['MD5', 'SHA256'] as const)('a %s manifest loads, and the id Relay sends as doc_id runs by POST and by GET', async (algorithm) => {
    const { file, manifest, id } = await compile(algorithm);
    expect(Object.keys(manifest)).toEqual([id]);
    expect(id).toHaveLength(algorithm === 'MD5' ? 32 : 64);
    const relay = await startHttpServer(db, { trustedDocuments: loadTrustedDocuments(file) });
    try {
      const byPost = await post(relay.url, { doc_id: id, variables: { slug: 'her' } });
      expect([byPost.status, byPost.body.data]).toEqual([200, { film: { id: expect.any(String), title: 'Her' } }]);
      const byGet = await get(relay.url, { doc_id: id, variables: JSON.stringify({ slug: 'her' }) });
      expect([byGet.status, byGet.body.data]).toEqual([200, byPost.body.data]);
    } finally {
      await relay.close();
    }
  });
});

describe('document ids without a manifest (automatic persisted queries)', () => {
  let http: HttpServer;
  beforeAll(async () => {
    http = await startHttpServer(db);
  });
  afterAll(() => http?.close());

  test('a codegen-style `sha256:` id registers with its query and then runs alone, by documentId, doc_id or APQ hash, POST or GET', async () => {
    const query = 'query PersonName($slug: String!) { person(slug: $slug) { name } }';
    const hex = sha256(query);
    expect(codes((await post(http.url, { documentId: `sha256:${hex}`, variables: { slug: 'joaquin-phoenix' } })).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const register = await post(http.url, { query, documentId: `sha256:${hex}`, variables: { slug: 'joaquin-phoenix' } });
    expect([register.status, register.body.data]).toEqual([200, { person: { name: 'Joaquin Phoenix' } }]);
    const variables = { slug: 'joaquin-phoenix' };
    for (const ids of [{ documentId: hex }, { doc_id: `sha256:${hex}` }, { extensions: apq(`sha256:${hex}`) }]) {
      expect((await post(http.url, { ...ids, variables })).body.data).toEqual({ person: { name: 'Joaquin Phoenix' } });
    }
    const byGet = await get(http.url, { documentId: `sha256:${hex}`, variables: JSON.stringify(variables) });
    expect([byGet.status, byGet.body.data]).toEqual([200, { person: { name: 'Joaquin Phoenix' } }]);
  });

  test('a `sha256:` id that is not the hash of the query sent is PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const response = await post(http.url, { query: '{ films { totalCount } }', documentId: `sha256:${sha256('other')}` });
    expect([response.status, codes(response.body)]).toEqual([400, ['PERSISTED_QUERY_HASH_MISMATCH']]);
  });
});

describe('loading a manifest', () => {
  test.each([
    ['a missing file', null, /TRUSTED_DOCUMENTS: cannot read .* as JSON/],
    ['invalid JSON', '{ nope', /TRUSTED_DOCUMENTS: cannot read .* as JSON/],
    ['an array', '["{ films { totalCount } }"]', /must hold a JSON object of id → document/],
    ['an entry that is not a document', '{"abc": 42}', /the entry "abc" in .* is not a document string/],
    [
      "a `sha256:` id that is not its document's hash",
      JSON.stringify({ [`sha256:${sha256('a')}`]: '{ films { totalCount } }' }),
      /is not the SHA-256 of its document/,
    ],
    ['one id twice (with and without the prefix) for two documents', JSON.stringify({ abc: '{ a }', ABC: '{ b }' }), /names two different documents/],
  ])('%s fails with a message naming TRUSTED_DOCUMENTS', (_name, content, message) => {
    const file = path.join(dir, `manifest-${Math.random()}.json`);
    if (content !== null) writeFileSync(file, content);
    expect(() => loadTrustedDocuments(file)).toThrow(TrustedDocumentsError);
    expect(() => loadTrustedDocuments(file)).toThrow(message);
  });
});
