// ingestSource and the proposals it stores: the source (deduplicated by its text's hash), every
// proposal citing an exact span of it, entity resolution against the catalogue (the seeded one),
// rejectProposal, the proposals queue, and the `npm run ingest` program.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { ROOT, runIngestCli } from '../helpers/cli.ts';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';

// Written for this test: a film the seed does not have, two people it does (one misspelt), one it does not.
const ARTICLE = `Inherent Vice review: Paul Thomas Anderson's stoner noir

Inherent Vice (2014), written and directed by Paul Thomas Anderson, stars Joaquin Phoenix as Doc Sportello, a private investigator in 1970 Los Angeles.
Phoenix is wonderful, as he was in Spike Jonze's Her. Inherent Vice is released in the UK on 30th January.
"A shaggy, seductive puzzle," said Mark Kermode in The Observer.`;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestSourceInput!) {
    ingestSource(input: $input) {
      deduplicated
      proposalCount
      source {
        id
        slug
        text
        proposals(first: 100) {
          totalCount
          nodes {
            id
            key
            kind
            status
            values
            support
            reason
            confidence
            version
            excerpt {
              start
              end
              text
            }
            alsoCited {
              start
              end
              text
            }
            refs {
              film
              person
            }
          }
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const REJECT = /* GraphQL */ `
  mutation Reject($input: RejectProposalInput!) {
    rejectProposal(input: $input) {
      proposal {
        id
        status
        rejectReason
        reviewedBy
        reviewedAt
        version
      }
      userErrors {
        field
        code
        message
        currentVersion
      }
    }
  }
`;

interface ProposalNode {
  id: string;
  key: string;
  kind: string;
  status: string;
  values: Record<string, any>;
  support: string;
  confidence: number;
  version: number;
  excerpt: { start: number; end: number; text: string };
  alsoCited: { start: number; end: number; text: string }[];
  refs: { film: string | null; person: string | null };
}

const api = useApi();
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;

beforeAll(async () => {
  client = createClient(api.db);
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
});

async function ingest(input: Record<string, unknown>, headers: Headers = write) {
  const result = await client.query(INGEST, { input }, headers);
  expect(result.errors).toBeUndefined();
  return result.data!['ingestSource'];
}

describe('ingestSource', () => {
  let first: any;
  let proposals: ProposalNode[];

  beforeAll(async () => {
    first = await ingest({ text: ARTICLE, title: 'Inherent Vice review', publisher: 'The Northern Courier', publishedOn: '2015-01-28' });
    proposals = first.source?.proposals.nodes ?? [];
  });

  test('stores the source and its proposals, each citing an exact span of the text', () => {
    expect(first.userErrors).toEqual([]);
    expect(first.deduplicated).toBe(false);
    expect(first.source.slug).toBe('inherent-vice-review');
    expect(first.source.text).toBe(ARTICLE);
    expect(first.proposalCount).toBe(proposals.length);
    expect(first.source.proposals.totalCount).toBe(proposals.length);
    expect(proposals.length).toBeGreaterThan(5);
    for (const p of proposals) {
      expect(p.status).toBe('PENDING');
      expect(p.version).toBe(1);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      for (const e of [p.excerpt, ...p.alsoCited]) expect(ARTICLE.slice(e.start, e.end)).toBe(e.text);
    }
    // Every reference names a proposal of the same source.
    const keysOf = new Set(proposals.map((p) => p.key));
    for (const p of proposals) for (const ref of [p.refs.film, p.refs.person]) if (ref) expect(keysOf).toContain(ref);
  });

  test('proposes the film, its director and its cast', () => {
    const byKind = (kind: string) => proposals.filter((p) => p.kind === kind);
    expect(byKind('FILM').map((p) => p.values['title'])).toContain('Inherent Vice');
    expect(byKind('PERSON').map((p) => p.values['name'])).toEqual(expect.arrayContaining(['Paul Thomas Anderson', 'Joaquin Phoenix']));
    const director = byKind('CREW_CREDIT').find((p) => p.values['job'] === 'Director' && p.refs.person === 'person:paul-thomas-anderson');
    expect(director).toBeDefined();
    const doc = byKind('CAST_CREDIT').find((p) => p.values['character'] === 'Doc Sportello');
    expect(doc?.refs.person).toBe('person:joaquin-phoenix');
    const release = byKind('RELEASE').find((p) => p.values['country'] === 'GB');
    // "30th January" gives no year: taken from the article's date, and said so.
    expect(release).toMatchObject({ support: 'INFERRED', values: { date: '2015-01-30', type: 'THEATRICAL' } });
  });

  test('resolves names against the catalogue: existing people and films by global ID, the rest NEW', async () => {
    const seeded = await client.query('{ person(slug: "joaquin-phoenix") { id } film(slug: "her") { id } }');
    const person = (name: string) => proposals.find((p) => p.kind === 'PERSON' && p.values['name'] === name);
    expect(person('Joaquin Phoenix')!.values['resolution']).toMatchObject({ status: 'EXISTING', match: { id: seeded.data!['person'].id, matchedBy: 'name' } });
    expect(person('Paul Thomas Anderson')!.values['resolution']).toEqual({ status: 'NEW' });
    const film = (title: string) => proposals.find((p) => p.kind === 'FILM' && p.values['title'] === title);
    expect(film('Inherent Vice')!.values['resolution']).toEqual({ status: 'NEW' });
    expect(film('Her')?.values['resolution']).toMatchObject({ status: 'EXISTING', match: { id: seeded.data!['film'].id } });
  });

  test('appends one INGEST change set with the source’s CREATE revision; the proposals are not catalogue facts', async () => {
    const changes = await client.query(
      `{ changes(first: 100) { nodes { entityType action changeSet { kind actor operationName } changes { field after } } } }`,
      {},
    );
    const mine = changes.data!['changes'].nodes.filter((r: any) => r.changeSet.operationName === 'ingestSource');
    expect(mine).toEqual([
      {
        entityType: 'SOURCE',
        action: 'CREATE',
        changeSet: { kind: 'INGEST', actor: keys.write.name, operationName: 'ingestSource' },
        changes: expect.arrayContaining([{ field: 'slug', after: 'inherent-vice-review' }]),
      },
    ]);
  });

  test('the same text again is the same source: nothing written, whatever the other fields say', async () => {
    const before = await api.db.prisma.revision.count();
    const again = await ingest({ text: ARTICLE, title: 'Another title', url: 'https://example.org/elsewhere' });
    expect(again).toMatchObject({
      userErrors: [],
      deduplicated: true,
      proposalCount: proposals.length,
      source: { id: first.source.id, slug: 'inherent-vice-review' },
    });
    expect(await api.db.prisma.revision.count()).toBe(before);
    expect(await api.db.prisma.source.count({ where: { text: ARTICLE } })).toBe(1);
  });

  test('the seed’s own article is already a source', async () => {
    const seedText = readFileSync(path.join(ROOT, 'seed/her-review.txt'), 'utf8');
    const again = await ingest({ text: seedText });
    expect(again).toMatchObject({ userErrors: [], deduplicated: true, source: { slug: 'her-review' } });
  });

  test('concurrent ingests of one new text store it once', async () => {
    const text = `${ARTICLE}\n\nA postscript for the race.`;
    const results = await Promise.all(Array.from({ length: 8 }, () => ingest({ text })));
    expect(results.every((r) => r.userErrors.length === 0)).toBe(true);
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
    expect(new Set(results.map((r) => r.source.id)).size).toBe(1);
    expect(await api.db.prisma.source.count({ where: { text } })).toBe(1);
  });

  test('bad input is a user error at its field, and nothing is stored', async () => {
    const sources = await api.db.prisma.source.count();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ text: '' }, ['input', 'text'], 'INVALID'],
      [{ text: '   \n ' }, ['input', 'text'], 'INVALID'],
      [{ text: 'x'.repeat(50_001) }, ['input', 'text'], 'INVALID'],
      [{ text: 'An article.', url: 'ftp://example.org/a' }, ['input', 'url'], 'INVALID'],
      [{ text: 'An article.', slug: 'Not A Slug' }, ['input', 'slug'], 'INVALID'],
      [{ text: 'An article.', publishedOn: '1066-10-14' }, ['input', 'publishedOn'], 'INVALID'],
    ];
    for (const [input, field, code] of cases) {
      const payload = await ingest(input);
      expect({ input: Object.keys(input), errors: payload.userErrors.map((e: any) => [e.field, e.code]) }).toEqual({
        input: Object.keys(input),
        errors: [[field, code]],
      });
      expect(payload.source).toBeNull();
    }
    expect(await api.db.prisma.source.count()).toBe(sources);
    // Another text under a URL a source has (an edited article is a new source with its own URL, or the same text).
    const taken = await ingest({ text: 'Yet another article.', url: 'https://example.org/elsewhere' });
    expect(taken.userErrors).toEqual([]);
    const clash = await ingest({ text: 'A fourth article.', url: 'https://example.org/elsewhere' });
    expect(clash.userErrors.map((e: any) => e.code)).toEqual(['TAKEN']);
    expect(clash.source).toBeNull();
  });

  describe('rejectProposal', () => {
    test('rejects a pending proposal with the reason and the editor, once', async () => {
      const target = proposals.find((p) => p.kind === 'RELEASE')!;
      const result = await client.query(REJECT, { input: { id: target.id, version: 1, reason: 'wrong country' } }, write);
      expect(result.data!['rejectProposal']).toEqual({
        proposal: { id: target.id, status: 'REJECTED', rejectReason: 'wrong country', reviewedBy: keys.write.name, reviewedAt: expect.any(String), version: 2 },
        userErrors: [],
      });
      const stale = await client.query(REJECT, { input: { id: target.id, version: 1, reason: 'again' } }, write);
      expect(stale.data!['rejectProposal']).toMatchObject({
        proposal: null,
        userErrors: [{ code: 'CONFLICT', currentVersion: 2, field: ['input', 'version'] }],
      });
      const twice = await client.query(REJECT, { input: { id: target.id, version: 2, reason: 'again' } }, write);
      expect(twice.data!['rejectProposal']).toMatchObject({ proposal: null, userErrors: [{ code: 'NOT_PENDING', field: ['input', 'id'] }] });
    });

    test('unknown and malformed ids, and an empty reason, are user errors', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ id: encodeGlobalID('Proposal', 999_999), version: 1, reason: 'x' }, 'NOT_FOUND'],
        [{ id: encodeGlobalID('Film', 1), version: 1, reason: 'x' }, 'INVALID'],
        [{ id: proposals[0]!.id, version: 1, reason: '' }, 'INVALID'],
      ];
      for (const [input, code] of cases) {
        const result = await client.query(REJECT, { input }, write);
        expect(result.data!['rejectProposal'].userErrors.map((e: any) => e.code)).toEqual([code]);
      }
    });

    test('concurrent rejections of one proposal: one wins, the others are told why', async () => {
      const target = proposals.find((p) => p.kind === 'GENRE' || p.kind === 'CAST_CREDIT')!;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.query(REJECT, { input: { id: target.id, version: 1, reason: `editor ${i}` } }, write)),
      );
      const outcomes = results.map((r) => r.data!['rejectProposal'].userErrors[0]?.code ?? 'OK');
      expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
      expect(outcomes.every((o) => o === 'OK' || o === 'CONFLICT' || o === 'NOT_PENDING')).toBe(true);
    });
  });

  test('proposals: the queue across sources, filtered by status, kind and source', async () => {
    const query = `query ($status: ProposalStatus, $kinds: [ProposalKind!], $source: ID) {
      proposals(status: $status, kinds: $kinds, source: $source, first: 100) { totalCount nodes { kind status source { id } } } }`;
    const all = await client.query(query, { source: first.source.id });
    expect(all.data!['proposals'].totalCount).toBe(proposals.length);
    const rejected = await client.query(query, { source: first.source.id, status: 'REJECTED' });
    expect(rejected.data!['proposals'].totalCount).toBe(2);
    const people = await client.query(query, { kinds: ['PERSON'], status: 'PENDING' });
    expect(people.data!['proposals'].nodes.length).toBeGreaterThan(0);
    expect(people.data!['proposals'].nodes.every((p: any) => p.kind === 'PERSON' && p.status === 'PENDING')).toBe(true);
    const bad = await client.query(query, { source: encodeGlobalID('Film', 1) });
    expect(codes(bad)).toEqual(['INVALID_ID']);
  });
});

describe('npm run ingest', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-ingest-cli-'));
    if (onPostgres) {
      const created = await createPostgresDatabase();
      env = { DATABASE_URL: created.url };
      cleanup = async () => {
        await created.drop();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      env = { DATABASE_URL: '', DATA_DIR: path.join(dir, 'data') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanup?.());

  test('ingests a file through the same write, and again finds it ingested', async () => {
    const file = path.join(dir, 'inherent-vice.txt');
    writeFileSync(file, ARTICLE);
    const run = await runIngestCli([file, '--title', 'Inherent Vice review', '--published-on', '2015-01-28', '--json'], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as { source: { slug: string }; deduplicated: boolean; proposals: { kind: string }[] };
    expect(out).toMatchObject({ source: { slug: 'inherent-vice-review' }, deduplicated: false });
    expect(out.proposals.map((p) => p.kind)).toEqual(expect.arrayContaining(['FILM', 'PERSON', 'CREW_CREDIT', 'CAST_CREDIT']));

    const again = await runIngestCli([file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already ingested .* as source "inherent-vice-review"/);

    const db = await openDatabase(env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'] } : { dataDir: env['DATA_DIR']! });
    try {
      const changeSets = await db.prisma.changeSet.findMany({ select: { kind: true, actor: true, operationName: true } });
      expect(changeSets).toEqual([{ kind: 'INGEST', actor: 'cli', operationName: 'ingestSource' }]);
    } finally {
      await db.close();
    }
  }, 180_000);

  test('--accept-above accepts the proposals at or above that confidence, in dependency order', async () => {
    const file = path.join(dir, 'glass-harbour.txt');
    writeFileSync(file, 'Glass Harbour (2021), directed by Maeve Connolly, stars Saoirse Kinsella as Claire.');
    const run = await runIngestCli([file, '--accept-above', '0.9', '--json'], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as { accepted: { acceptedCount: number; failedCount: number; outcomes: { key: string; accepted: boolean }[] } };
    expect(out.accepted.failedCount).toBe(0);
    expect(out.accepted.outcomes.map((o) => o.key)).toEqual(
      expect.arrayContaining(['film:glass-harbour', 'person:maeve-connolly', 'crew:glass-harbour:maeve-connolly:director']),
    );
    const db = await openDatabase(env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'] } : { dataDir: env['DATA_DIR']! });
    try {
      const film = await db.prisma.film.findFirstOrThrow({
        where: { title: 'Glass Harbour' },
        select: { year: true, credits: { select: { job: true, person: { select: { name: true } } } } },
      });
      expect(film.year).toBe(2021);
      expect(film.credits).toEqual(expect.arrayContaining([{ job: 'Director', person: { name: 'Maeve Connolly' } }]));
      expect(await db.prisma.changeSet.count({ where: { operationName: 'acceptProposals', actor: 'cli' } })).toBe(1);
    } finally {
      await db.close();
    }
    const bad = await runIngestCli([file, '--accept-above', 'high'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--accept-above takes a confidence between 0 and 1/);
  }, 180_000);

  test('usage errors exit 2 and say what is wrong', async () => {
    const missing = await runIngestCli([path.join(dir, 'no-such-file.txt')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/i);
    const badDate = await runIngestCli([import.meta.filename, '--published-on', '28/01/2015'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--published-on takes a date as YYYY-MM-DD/);
  }, 120_000);
});
