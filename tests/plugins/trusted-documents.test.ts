import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTrustedDocuments, TrustedDocumentsError } from '../../src/plugins/trusted-documents.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
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

describe('loading a manifest', () => {
  test.each([
    ['a missing file', null, /TRUSTED_DOCUMENTS: cannot read .* as JSON/],
    ['invalid JSON', '{ nope', /TRUSTED_DOCUMENTS: cannot read .* as JSON/],
    ['an array', '["{ films { totalCount } }"]', /must hold a JSON object of id → document/],
    ['an entry that is not a document', '{"abc": 42}', /the entry "abc" in .* is not a document string/],
  ])('%s fails with a message naming TRUSTED_DOCUMENTS', (_name, content, message) => {
    const file = path.join(dir, `manifest-${Math.random()}.json`);
    if (content !== null) writeFileSync(file, content);
    expect(() => loadTrustedDocuments(file)).toThrow(TrustedDocumentsError);
    expect(() => loadTrustedDocuments(file)).toThrow(message);
  });
});
