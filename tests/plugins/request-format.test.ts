import { useHttpServer } from '../helpers/http.ts';

const QUERY = '{ film(slug: "her") { title } }';
const JSON_BODY = JSON.stringify({ query: QUERY });

async function send(
  url: string,
  headers: Record<string, string>,
  body: BodyInit,
): Promise<{ status: number; json: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { accept: 'application/graphql-response+json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

function multipart(): FormData {
  const form = new FormData();
  form.set('operations', JSON_BODY);
  form.set('map', '{}');
  return form;
}

describe('request media types', () => {
  const api = useHttpServer();

  // Media types are case-insensitive, and so is the charset value (RFC 9110 §8.3.1); graphql-yoga
  // compared them byte for byte.
  test.each([
    'application/json',
    'APPLICATION/JSON',
    'Application/Json; Charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json ; charset=utf-8',
    'application/graphql+json',
  ])('Content-Type: %s runs the query', async (type) => {
    const { status, json } = await send(api.http.url, { 'content-type': type }, JSON_BODY);
    expect(json.errors).toBeUndefined();
    expect([status, json.data]).toEqual([200, { film: { title: 'Her' } }]);
  });

  test('Content-Type: application/graphql sends the document itself, in any case', async () => {
    const { status, json } = await send(api.http.url, { 'content-type': 'Application/GraphQL' }, QUERY);
    expect([status, json.data]).toEqual([200, { film: { title: 'Her' } }]);
  });

  test.each([
    [
      'a url-encoded form',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `query=${encodeURIComponent(QUERY)}`,
      /^`application\/x-www-form-urlencoded` bodies are not accepted \(browsers send them cross-site without a preflight\)/,
    ],
    ['a multipart form', {}, multipart(), /^`multipart\/form-data` bodies are not accepted \(browsers send them cross-site/],
    ['a text/plain body', { 'content-type': 'text/plain' }, JSON_BODY, /^`text\/plain` bodies are not accepted; send `application\/json`\.$/],
    ['a TEXT/PLAIN; charset=utf-8 body', { 'content-type': 'TEXT/PLAIN; charset=utf-8' }, JSON_BODY, /^`text\/plain` bodies are not accepted/],
    ['a POST without Content-Type', {}, new Blob([JSON_BODY]), /^A POST needs a `Content-Type`; send `application\/json`\.$/],
    [
      'a charset other than UTF-8',
      { 'content-type': 'application/json; charset=latin1' },
      JSON_BODY,
      /^Only UTF-8 request bodies are accepted, not charset=latin1\.$/,
    ],
    ['an application/xml body', { 'content-type': 'application/xml' }, JSON_BODY, /^`application\/xml` bodies are not accepted/],
    ['a malformed media type', { 'content-type': 'application/' }, JSON_BODY, /^`Content-Type: application\/` is not a valid media type/],
  ])('%s is a 415 UNSUPPORTED_MEDIA_TYPE and runs nothing', async (_name, headers, body, message) => {
    api.db.resetStatements();
    const { status, json } = await send(api.http.url, headers, body);
    expect(status).toBe(415);
    expect(json.errors?.map((e) => e.extensions?.code)).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(json.errors?.[0]?.message).toMatch(message);
    expect(json.data).toBeUndefined();
    expect(api.db.statements).toEqual([]);
  });
});

describe('request media types with ALLOW_FORM_POSTS', () => {
  const api = useHttpServer({ guard: { ALLOW_FORM_POSTS: true } });

  test('url-encoded and multipart forms run', async () => {
    const form = await send(api.http.url, { 'content-type': 'Application/X-WWW-Form-Urlencoded' }, `query=${encodeURIComponent(QUERY)}`);
    expect([form.status, form.json.data]).toEqual([200, { film: { title: 'Her' } }]);
    const parts = await send(api.http.url, {}, multipart());
    expect([parts.status, parts.json.data]).toEqual([200, { film: { title: 'Her' } }]);
  });

  test('text/plain is still refused: there is no parser for it', async () => {
    const { status, json } = await send(api.http.url, { 'content-type': 'text/plain' }, JSON_BODY);
    expect([status, json.errors?.[0]?.extensions?.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });
});
