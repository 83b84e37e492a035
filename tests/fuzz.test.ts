import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createPostgresDatabase, onPostgres } from './helpers/db.ts';

/**
 * Fuzzing the running server process (npm start's entry point, real HTTP, real database).
 *
 * The oracle, for every case: the HTTP status is below 500; a JSON body never carries an error
 * coded INTERNAL_SERVER_ERROR or the masked "Unexpected error." (bad input must always get a
 * coded client error); the server logs nothing at error level or above (a masked failure is
 * logged there, so this also catches one hidden behind a 4xx); and the process is still alive
 * and answering /health at the end. The rate limit is raised so it never blocks the fuzzer.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = { schemaDocuments: 3_000, variables: 1_000, garbageQueries: 1_700, malformedJson: 1_300, contentTypes: 900, invalidUtf8: 900, hugeVariables: 200, badGets: 1_000 };
const TOTAL_RUNS = Object.values(RUNS).reduce((a, b) => a + b, 0);

let child: ChildProcess;
let output = ''; // the last 20 kB, for failure messages
let pending = '';
let listeningUrl: string | undefined;
const errorLines: string[] = [];
let url = '';
let schema: GraphQLSchema;
let dropDatabase: (() => Promise<void>) | undefined;
let dataDir = '';
const startedAt = performance.now();
let cases = 0;
let casesStartedAt = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-fuzz-'));
  const pgDb = onPostgres ? await createPostgresDatabase() : undefined;
  dropDatabase = pgDb?.drop;
  child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CURSOR_SECRET: 'fuzz-test-cursor-secret-0123456789',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_POINTS: '1000000000',
      ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dataDir }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer) => {
    output = (output + chunk).slice(-20_000);
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (/"level":(50|60)/.test(line)) errorLines.push(line);
      if (!listeningUrl && line.includes('Cinegraph listening')) listeningUrl = JSON.parse(line).url.replace('localhost', '127.0.0.1');
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  url = await listening();
  const introspection = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  schema = buildClientSchema(((await introspection.json()) as { data: IntrospectionQuery }).data);
  casesStartedAt = performance.now();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
  const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
  console.info(`fuzz: ${cases} cases in ${seconds(casesStartedAt)} s (${seconds(startedAt)} s with the server's start)`);
});

async function listening(): Promise<string> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (listeningUrl) return listeningUrl;
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output}`);
}

/** The oracle; returns a description of the failure, or null. */
async function check(response: Response): Promise<string | null> {
  cases++;
  const text = await response.text();
  if (response.status >= 500) return `HTTP ${response.status}: ${text.slice(0, 500)}`;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) {
    let body: { errors?: { message?: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      return `unparseable JSON response: ${text.slice(0, 200)}`;
    }
    const internal = (body.errors ?? []).find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.message === 'Unexpected error.');
    if (internal) return `internal error: ${JSON.stringify(internal)}`;
  }
  if (errorLines.length) return `server logged an error:\n${errorLines.join('\n').slice(0, 4000)}`;
  if (child.exitCode !== null) return `server died:\n${output.slice(-2000)}`;
  return null;
}

const postJson = (body: string | Uint8Array, contentType = 'application/json') =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/graphql-response+json, application/json' },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });

async function holds(request: () => Promise<Response>): Promise<void> {
  const failure = await check(await request());
  if (failure) throw new Error(failure);
}

// ---- documents built from the introspected schema -----------------------------------------

const stringValue = fc.oneof(fc.constantFrom('her', 'gladiator', 'spike-jonze', 'director', 'US', 'FR', '', 'RmlsbToy', 'UGVyc29uOjE='), fc.string({ maxLength: 12 }));
const literal = (value: unknown) => JSON.stringify(value);

function inputValue(type: GraphQLInputType, depth: number): fc.Arbitrary<string> {
  if (isNonNullType(type)) return inputValue(type.ofType, depth);
  if (isListType(type)) return fc.array(inputValue(type.ofType, depth + 1), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  const named = getNamedType(type);
  if (isEnumType(named)) return fc.oneof(fc.constantFrom(...named.getValues().map((v) => v.name)), fc.constantFrom('STUNT', 'cast'));
  if (isInputObjectType(named)) {
    if (depth > 2) return fc.constant('{}');
    const fields = Object.values(named.getFields());
    return fc
      .tuple(...fields.map((f) => fc.option(inputValue(f.type, depth + 1).map((v) => `${f.name}: ${v}`), { nil: undefined })))
      .map((parts) => `{ ${parts.filter(Boolean).join(', ')} }`);
  }
  const scalar: Record<string, fc.Arbitrary<string>> = {
    Int: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.integer()).map(String),
    Float: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    Boolean: fc.boolean().map(String),
  };
  // Sometimes a literal of the wrong kind, which validation must refuse with a code.
  return fc.oneof({ weight: 5, arbitrary: scalar[named.name] ?? stringValue.map(literal) }, { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), stringValue.map(literal), fc.constant('null')) });
}

function selection(type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  if (isLeafType(type)) return fc.constant('');
  if (depth >= 5) return fc.constant('{ __typename }');
  if (isUnionType(type) || (isInterfaceType(type) && fc.sample(fc.boolean(), 1)[0])) {
    const possible = schema.getPossibleTypes(type as never);
    return fc.constantFrom(...possible).chain((t) => selection(t, depth).map((inner) => `{ __typename ... on ${t.name} ${inner} }`));
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return fc.constant('{ __typename }');
  const fields = Object.values(type.getFields());
  return fc
    .uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: 4, selector: (f) => f.name })
    .chain((chosen) => fc.tuple(...chosen.map((f) => field(f, depth + 1))))
    .map((parts) => `{ ${parts.join(' ')} }`);
}

function field(f: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> {
  const args = f.args.length
    ? fc
        .tuple(...f.args.map((a) => fc.option(inputValue(a.type, 0).map((v) => `${a.name}: ${v}`), { nil: undefined, freq: 2 })))
        .map((parts) => parts.filter(Boolean))
        .map((parts) => (parts.length ? `(${parts.join(', ')})` : ''))
    : fc.constant('');
  const alias = fc.option(fc.constantFrom('a', 'b', 'x1'), { nil: undefined, freq: 3 }).map((a) => (a ? `${a}: ` : ''));
  return fc.tuple(alias, args, selection(getNamedType(f.type), depth)).map(([a, argList, sub]) => `${a}${f.name}${argList} ${sub}`);
}

const schemaDocument = () =>
  fc.oneof(
    selection(schema.getQueryType()!, 0),
    selection(schema.getQueryType()!, 0).map((s) => `query Fuzz ${s}`),
    selection(schema.getQueryType()!, 0).map((s) => `{ ...F } fragment F on Query ${s}`),
  );

// ---- the properties --------------------------------------------------------------------------

const params = (numRuns: number) => ({ numRuns, endOnFailure: true });
// Sized for ~60–90 s in all on an idle 2-core machine; the timeout leaves room for a loaded one.
const FUZZ_TIMEOUT_MS = 400_000;

describe('fuzzing the running server', () => {
  test('documents generated from the introspected schema, with random arguments', async () => {
    await fc.assert(fc.asyncProperty(schemaDocument(), (query) => holds(() => postJson(JSON.stringify({ query })))), params(RUNS.schemaDocuments));
  }, FUZZ_TIMEOUT_MS);

  test('random variables for typed operations', async () => {
    const operations = [
      'query ($n: Int, $a: String) { films(first: $n, after: $a) { totalCount nodes { title } } }',
      'query ($id: ID!) { node(id: $id) { id } }',
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      'query ($s: String, $id: ID) { film(id: $id, slug: $s) { title releases { country } } }',
      'query ($f: CreditFilter, $l: Int) { film(slug: "her") { credits(filter: $f, last: $l) { totalCount } } }',
      'query ($c: CountryCode) { film(slug: "her") { releases(country: $c) { date } } }',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), fc.dictionary(fc.constantFrom('n', 'a', 'id', 'ids', 's', 'f', 'l', 'c', 'zz'), fc.jsonValue({ maxDepth: 3 })), (query, variables) =>
        holds(() => postJson(JSON.stringify({ query, variables }))),
      ),
      params(RUNS.variables),
    );
  }, FUZZ_TIMEOUT_MS);

  test('garbage strings and mutated documents as the query', async () => {
    const valid = '{ films(first: 2) { nodes { title directors { name } } } }';
    const mutated = fc.tuple(fc.nat(valid.length), fc.nat(valid.length), fc.string({ maxLength: 8 })).map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + (cut % 5))));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), mutated), (query) => holds(() => postJson(JSON.stringify({ query })))),
      params(RUNS.garbageQueries),
    );
  }, FUZZ_TIMEOUT_MS);

  test('malformed and oddly shaped JSON bodies', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.record({ query: fc.jsonValue({ maxDepth: 2 }), variables: fc.jsonValue({ maxDepth: 2 }), operationName: fc.jsonValue({ maxDepth: 1 }), extensions: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ query: '{ __typename }' }).slice(0, -1) + JSON.stringify(v)),
    );
    await fc.assert(fc.asyncProperty(body, (b) => holds(() => postJson(b))), params(RUNS.malformedJson));
  }, FUZZ_TIMEOUT_MS);

  test('wrong content types', async () => {
    const contentType = fc.oneof(
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/graphql', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/graphql-response+json'),
      fc.stringMatching(/^[a-z/+.;= -]{0,40}$/),
    );
    const body = fc.oneof(fc.constant(JSON.stringify({ query: '{ __typename }' })), fc.constant('query={__typename}'), fc.string({ maxLength: 100 }));
    await fc.assert(fc.asyncProperty(contentType, body, (type, b) => holds(() => postJson(b, type))), params(RUNS.contentTypes));
  }, FUZZ_TIMEOUT_MS);

  test('invalid UTF-8 bytes, raw and inside JSON strings', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ minLength: 1, maxLength: 8 }).map((junk) => {
        const [head, tail] = ['{"query": "{ film(slug: \\"', '\\") { title } }"}'].map((s) => Buffer.from(s));
        return Buffer.concat([head!, Buffer.from(junk.map((b) => b | 0x80)), tail!]);
      }),
    );
    await fc.assert(fc.asyncProperty(bytes, (b) => holds(() => postJson(new Uint8Array(b)))), params(RUNS.invalidUtf8));
  }, FUZZ_TIMEOUT_MS);

  test('huge variables', async () => {
    const huge = fc.oneof(
      fc.integer({ min: 1_000, max: 300_000 }).map((n) => ({ s: 'x'.repeat(n) })),
      fc.integer({ min: 100, max: 20_000 }).map((n) => ({ ids: Array.from({ length: n }, (_, i) => `id${i}`) })),
      fc.integer({ min: 10, max: 2_000 }).map((n) => ({ s: JSON.parse('['.repeat(n) + ']'.repeat(n)) })),
    );
    const query = 'query ($s: String, $ids: [ID!]) { film(slug: $s) { title } nodes(ids: $ids) { id } }';
    await fc.assert(fc.asyncProperty(huge, (variables) => holds(() => postJson(JSON.stringify({ query, variables })))), params(RUNS.hugeVariables));
  }, FUZZ_TIMEOUT_MS);

  test('bad query-string GETs', async () => {
    const junk = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('%ZZ', '%', '%E0%A4%A', '{', '[]', 'null', '{ __typename }', '{"a":1}'));
    const search = fc.oneof(
      fc.record({ query: junk, variables: junk, operationName: junk, extensions: junk }, { requiredKeys: [] }).map((p) => new URLSearchParams(p as Record<string, string>).toString()),
      fc.array(fc.tuple(fc.constantFrom('query', 'variables', 'extensions', 'operationName', 'x'), junk), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    );
    await fc.assert(
      fc.asyncProperty(search, fc.constantFrom('application/json', 'application/graphql-response+json', 'text/html', '*/*'), (qs, accept) =>
        holds(() => fetch(`${url}?${qs.replace(/#/g, '%23')}`, { headers: { accept } })),
      ),
      params(RUNS.badGets),
    );
  }, FUZZ_TIMEOUT_MS);

  test(`the server survived all ${TOTAL_RUNS} cases and still answers`, async () => {
    expect(child.exitCode).toBeNull();
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
    const response = await postJson(JSON.stringify({ query: '{ film(slug: "her") { title } }' }));
    expect(await response.json()).toMatchObject({ data: { film: { title: 'Her' } } });
    expect(cases).toBeGreaterThanOrEqual(TOTAL_RUNS);
  });
});

// ---- attack class: label flood ---------------------------------------------------------------
// Every request names its operation differently, as an attacker growing /metrics would (before
// the cap, 3,000 names took /metrics from 43 KB to 60 MB). The production default cap applies:
// METRICS_MAX_OPERATIONS=100 distinct names, then "other".

const LABEL_FLOOD_RUNS = 2_000;

describe('fuzzing the running server: label flood', () => {
  test(`${LABEL_FLOOD_RUNS} random operation names leave /metrics bounded, the excess counted as "other"`, async () => {
    const graphqlName = fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,40}$/);
    const anyName = fc.oneof(graphqlName, fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), graphqlName, anyName, (inDocument, name, operationName) =>
        holds(() =>
          postJson(JSON.stringify(inDocument ? { query: `query ${name} { __typename }` } : { query: `query ${name} { __typename }`, operationName })),
        ),
      ),
      params(LABEL_FLOOD_RUNS),
    );
    const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
    const values = (label: string) => new Set([...text.matchAll(new RegExp(`[{,]${label}="((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => m[1]));
    const operations = values('operation');
    expect(operations.has('other')).toBe(true);
    // 100 names + "anonymous" + "other"; the plugin's label likewise (+ "Anonymous").
    expect(operations.size).toBeLessThanOrEqual(102);
    expect(values('operationName').size).toBeLessThanOrEqual(102);
    expect(text.length).toBeLessThan(2_000_000);
    console.info(`label flood: /metrics ${text.length} bytes, ${operations.size} operation labels after ${LABEL_FLOOD_RUNS} random names`);
  }, FUZZ_TIMEOUT_MS);
});
