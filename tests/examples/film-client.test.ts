import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeFilm, fetchFilmPage, fetchFilmPagePersisted, GraphQLResponseError } from '../../examples/film-client/src/client.ts';
import { loadTrustedDocuments } from '../../src/plugins/trusted-documents.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startHttpServer, type HttpServer } from '../helpers/http.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/film-client');
const MANIFEST = path.join(EXAMPLE, 'src/gql/persisted-documents.json');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);

describe('the example client (examples/film-client)', () => {
  test('its committed generated code is what codegen.ts makes of schema.graphql today (else: npm run codegen:example)', async () => {
    // In a child process: codegen loads its presets with require(), which jest's ESM mode cannot serve.
    const { stdout } = await run(process.execPath, [TSX, path.join(EXAMPLE, 'check-generated.ts')], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const outputs = JSON.parse(stdout) as [string, string][];
    expect(outputs.map(([file]) => file).sort()).toEqual(
      ['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json'].map((file) => `examples/film-client/src/gql/${file}`),
    );
    for (const [file, content] of outputs) expect([file, readFileSync(path.join(ROOT, file), 'utf8')]).toEqual([file, content]);
  });

  test('type-checks on its own (tsc -p examples/film-client), custom scalars mapped to real types', async () => {
    const tsc = await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(EXAMPLE, 'tsconfig.json')], {
      cwd: ROOT,
    }).catch((error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }));
    expect(tsc.stdout).toBe('');
  });
});

describe('the example client against a real server', () => {
  let db: TestDatabase;
  let trusted: HttpServer;
  let open: HttpServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Production shape: only the example's own manifest runs. Development shape: any query runs.
    trusted = await startHttpServer(db, { trustedDocuments: loadTrustedDocuments(MANIFEST) });
    open = await startHttpServer(db);
  });
  afterAll(async () => {
    await trusted?.close();
    await open?.close();
    await db?.close();
  });

  test('fetches the film page as a persisted GET from the manifest codegen wrote, typed and cacheable', async () => {
    const page = await fetchFilmPagePersisted(trusted.url, { slug: 'her', country: 'US' });
    expect([page.status, page.cacheControl]).toEqual([200, 'public, max-age=60, stale-while-revalidate=60']);
    expect(page.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(page.data.film).toMatchObject({
      title: 'Her',
      releaseFor: { matchedCountry: true, release: { country: 'US', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } },
    });
    expect(typeof page.data.film!.updatedAt).toBe('string');
    expect(describeFilm(page.data.film!)).toEqual([
      'Her',
      'released 2014 in US',
      '#1 Joaquin Phoenix as Theodore',
      '#2 Scarlett Johansson as Samantha',
      expect.stringMatching(/^updated \d{4}-\d{2}-\d{2}$/),
    ]);
  });

  test('the same document by graphql-request (POST with its text) gives the same data; a text query is refused where only the manifest runs', async () => {
    const persisted = await fetchFilmPagePersisted(trusted.url, { slug: 'her', country: 'US' });
    expect(await fetchFilmPage(open.url, { slug: 'her', country: 'US' })).toEqual(persisted.data);
    await expect(fetchFilmPage(trusted.url, { slug: 'her', country: 'US' })).rejects.toThrow(/PERSISTED_QUERY_ONLY/);
  });

  test('an unknown film is null data, and errors surface with their code', async () => {
    expect((await fetchFilmPagePersisted(trusted.url, { slug: 'no-such-film', country: 'US' })).data.film).toBeNull();
    const error = await fetchFilmPagePersisted(trusted.url, { slug: 'her', country: 'not a country' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect((error as GraphQLResponseError).errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  test('main.ts prints the page from a running server, as docs/frontend.md says', async () => {
    const { stdout } = await run(process.execPath, [TSX, path.join(EXAMPLE, 'src/main.ts'), 'her', 'US'], {
      cwd: ROOT,
      env: { ...process.env, CINEGRAPH_URL: trusted.url },
    });
    expect(stdout.split('\n')[0]).toMatch(/^Her/);
    expect(stdout).toContain('(Cache-Control: public, max-age=60, stale-while-revalidate=60)');
  });
});
