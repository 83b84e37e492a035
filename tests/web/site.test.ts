import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { useSiteServer } from './site-server.ts';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

function siteDocumentId(documents: ReadonlyMap<string, string>, operation: string): string {
  const entry = [...documents].find(([, document]) => document.includes(`query ${operation}(`));
  if (!entry) throw new Error(`no ${operation} in the site's manifest`);
  return entry[0];
}

describe('the web client served by the API process', () => {
  const api = useSiteServer();

  test('/ and any client route answer the app page; GraphiQL, health and readiness stay the API’s', async () => {
    for (const path of ['/', '/film/her', '/films?genre=Drama', '/editor']) {
      const page = await get(`${api.base}${path}`, { accept: 'text/html' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.body.toString()).toContain('<div id="root"></div>');
    }
    const graphiql = await get(`${api.base}/graphql`, { accept: 'text/html' });
    expect(graphiql.status).toBe(200);
    expect(graphiql.body.toString()).toContain('GraphiQL');
    expect((await get(`${api.base}/health`)).status).toBe(200);
    expect((await get(`${api.base}/ready`)).status).toBe(200);
  });

  test('hashed assets are immutable for a year and sent precompressed to a browser that accepts gzip', async () => {
    const html = (await get(`${api.base}/`)).body.toString();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const plain = await get(`${api.base}${script}`);
    const gzipped = await fetch(`${api.base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes the body: the decoded bytes are the plain file's.
    expect(Buffer.from(await gzipped.arrayBuffer()).equals(plain.body)).toBe(true);
    expect(gunzipSync(readFileSync(`${api.site.dir}${script}.gz`)).equals(plain.body)).toBe(true);
  });

  test('the site’s queries run by id over a cacheable GET, with no document text sent', async () => {
    const id = siteDocumentId(api.site.documents, 'FilmPage');
    const url = `${api.base}/graphql?documentId=${encodeURIComponent(id)}&variables=${encodeURIComponent(JSON.stringify({ slug: 'her', country: 'GB' }))}`;
    const response = await get(url, { accept: 'application/graphql-response+json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const body = JSON.parse(response.body.toString());
    expect(body.errors).toBeUndefined();
    expect(body.data.film.title).toBe('Her');
    expect(body.data.film.releaseFor.release.country).toBe('GB');
  });
});

describe('production: only persisted documents (TRUSTED_DOCUMENTS)', () => {
  const api = useSiteServer({ trustedDocuments: new Map([['0'.repeat(64), '{ __typename }']]) });

  test('the site’s documents join the trusted set; a document sent as text is refused', async () => {
    const id = siteDocumentId(api.site.documents, 'PersonPage');
    const byId = await get(`${api.base}/graphql?doc_id=${encodeURIComponent(id)}&variables=${encodeURIComponent('{"slug":"joaquin-phoenix"}')}`, {
      accept: 'application/graphql-response+json',
    });
    expect(JSON.parse(byId.body.toString())).toMatchObject({ data: { person: { name: 'Joaquin Phoenix' } } });
    const trusted = await get(`${api.base}/graphql?documentId=${'0'.repeat(64)}`, { accept: 'application/graphql-response+json' });
    expect(JSON.parse(trusted.body.toString())).toMatchObject({ data: { __typename: 'Query' } });
    const text = await get(`${api.base}/graphql?query=${encodeURIComponent('{ films(first: 1) { totalCount } }')}`, {
      accept: 'application/graphql-response+json',
    });
    expect(text.status).toBe(400);
    expect(JSON.parse(text.body.toString()).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
  });
});
