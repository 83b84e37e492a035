import { EXPOSED_HEADERS } from '../../src/plugins/cors.ts';
import { useHttpServer } from '../helpers/http.ts';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const QUERY = JSON.stringify({ query: '{ film(slug: "her") { title } }' });

const preflight = (url: string, origin: string, headers = 'authorization, content-type') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
const postFrom = (url: string, origin: string | undefined, extra: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...extra }, body: QUERY });

/** The CORS response headers, by name. */
const cors = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

const EXPOSE = 'x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, retry-after';

describe('CORS by default (no CORS_ORIGINS)', () => {
  const api = useHttpServer();

  test('a preflight from any origin is allowed without credentials, and not for Authorization', async () => {
    const response = await preflight(api.http.url, EVIL);
    expect(response.status).toBe(204);
    expect(cors(response)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'accept, content-type, x-request-id',
      'access-control-expose-headers': EXPOSE,
      'access-control-max-age': '600',
    });
  });

  test('a cross-origin read gets `*`, never the caller echoed with credentials', async () => {
    const response = await postFrom(api.http.url, EVIL);
    expect(response.status).toBe(200);
    expect(cors(response)).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE });
  });

  test('a request without Origin gets the same headers, so a shared cache can store it for browsers too', async () => {
    expect(cors(await postFrom(api.http.url, undefined))).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE });
  });
});

describe('CORS with CORS_ORIGINS', () => {
  const api = useHttpServer({ guard: { CORS_ORIGINS: [APP, 'http://localhost:5173'] } });

  test('an allowlisted origin is echoed with credentials and may send Authorization and x-api-key', async () => {
    const response = await preflight(api.http.url, APP);
    expect(response.status).toBe(204);
    expect(cors(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'accept, content-type, x-request-id, authorization, x-api-key',
      'access-control-expose-headers': EXPOSE,
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const read = await postFrom(api.http.url, APP, { authorization: 'Bearer whatever' });
    expect(cors(read)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': EXPOSE,
      vary: 'Origin',
    });
  });

  test('any other origin still reads anonymously, without credentials, and the answer varies by Origin', async () => {
    for (const origin of [EVIL, `${APP}.evil.example`, 'http://app.example.com', 'null']) {
      const response = await preflight(api.http.url, origin);
      expect(cors(response)).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'accept, content-type, x-request-id',
        vary: 'Origin',
      });
      expect(response.headers.has('access-control-allow-credentials')).toBe(false);
    }
    expect(cors(await postFrom(api.http.url, EVIL))).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE, vary: 'Origin' });
  });
});

describe('the exposed headers are the ones the server sends', () => {
  const api = useHttpServer({ guard: { RATE_LIMIT_POINTS: 3 } });

  test('x-request-id and every RateLimit-* header on a read, Retry-After on a 429', async () => {
    const read = await postFrom(api.http.url, EVIL);
    let limited = await postFrom(api.http.url, EVIL);
    for (let i = 0; i < 5 && limited.status !== 429; i++) limited = await postFrom(api.http.url, EVIL);
    expect(limited.status).toBe(429);
    const sent = new Set([...read.headers.keys(), ...limited.headers.keys()]);
    expect(EXPOSED_HEADERS.filter((name) => !sent.has(name))).toEqual([]);
    expect(limited.headers.get('access-control-expose-headers')).toBe(EXPOSE);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
