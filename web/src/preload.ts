/**
 * The page's one GraphQL request, started before the bundle has loaded. The build puts `preload`
 * into index.html as an inline script (web/vite.config.ts) with the persisted ids of the pages'
 * queries: on a film, person or source page the request leaves while the browser is still
 * fetching and parsing the JavaScript, and the client (client.ts) answers the app's identical
 * first request with that response instead of sending it again. Still one request per page view;
 * the film page's largest paint no longer waits for the bundle before its data is even asked for.
 */

export interface PreloadRoute {
  /** The page's path as a regular expression; its first group is the `slug` variable. */
  pattern: string;
  operationName: string;
  /** Whether the query takes the visitor's `country` too (`?country=`, else the browser's locale). */
  country: boolean;
  /**
   * Whether the query takes the citation the address names (`?citation=`): when it does, `citation` and
   * `withCitation: true` (Source.tsx's `sourcePageVariables`), else neither.
   */
  citation?: boolean;
}

/** A route with the persisted id of its query (`sha256:<hex>`), as the build writes it into the page. */
export interface PreloadEntry extends PreloadRoute {
  id: string;
}

/** The pages whose query depends on the URL alone, so it can be sent before the app runs. */
export const PRELOAD_ROUTES: PreloadRoute[] = [
  { pattern: '^/film/([^/]+)/?$', operationName: 'FilmPage', country: true },
  { pattern: '^/person/([^/]+)/?$', operationName: 'PersonPage', country: false },
  { pattern: '^/source/([^/]+)/?$', operationName: 'SourcePage', country: false, citation: true },
];

export interface Preloaded {
  url: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    __cinegraphPreload?: Preloaded;
  }
}

/**
 * Runs inline in index.html: its source text is copied there, so it must not use anything from
 * this module's scope. `country` is country.ts's `browserCountry`, copied the same way, so the
 * page's variables are the ones the app will ask with.
 */
export function preload(routes: PreloadEntry[], country: () => string): void {
  for (const route of routes) {
    const match = new RegExp(route.pattern).exec(location.pathname);
    if (!match) continue;
    let slug: string;
    try {
      slug = decodeURIComponent(match[1]!);
    } catch {
      return;
    }
    const params = new URLSearchParams(location.search);
    const variables: Record<string, string | boolean> = { slug };
    if (route.country) variables.country = (params.get('country') ?? country()).toUpperCase();
    const citation = route.citation ? params.get('citation') : null;
    if (citation) {
      variables.citation = citation;
      variables.withCitation = true;
    }
    const search = new URLSearchParams({
      operationName: route.operationName,
      variables: JSON.stringify(variables),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: route.id } }),
    });
    const url = `/graphql?${search.toString()}`;
    window.__cinegraphPreload = { url, response: fetch(url, { headers: { accept: 'application/graphql-response+json, application/json' } }) };
    return;
  }
}

/** JSON with object keys sorted, so two spellings of the same variables compare equal. */
function canonical(json: string | null): string {
  if (json === null) return '';
  const sort = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sort)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, v]) => [k, sort(v)]),
          )
        : value;
  try {
    return JSON.stringify(sort(JSON.parse(json)));
  } catch {
    return json;
  }
}

/** Whether two GraphQL GET URLs ask for the same operation with the same variables and extensions. */
export function sameRequest(a: string, b: string): boolean {
  const x = new URL(a, 'http://x');
  const y = new URL(b, 'http://x');
  return (
    x.pathname === y.pathname &&
    x.searchParams.get('operationName') === y.searchParams.get('operationName') &&
    x.searchParams.get('query') === y.searchParams.get('query') &&
    canonical(x.searchParams.get('variables')) === canonical(y.searchParams.get('variables')) &&
    canonical(x.searchParams.get('extensions')) === canonical(y.searchParams.get('extensions'))
  );
}

/**
 * The preloaded response when `url` is the request the inline script sent, once (a body can be
 * read once; any later request goes to the network as usual).
 */
export function takePreloaded(url: string, method: string | undefined): Promise<Response> | undefined {
  const preloaded = window.__cinegraphPreload;
  if (!preloaded || (method ?? 'GET').toUpperCase() !== 'GET' || !sameRequest(url, preloaded.url)) return undefined;
  delete window.__cinegraphPreload;
  return preloaded.response;
}
