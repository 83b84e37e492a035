// acceptProposal and acceptProposals on the seeded catalogue: each kind written through the
// write API and cited to the proposal's excerpts, existing entities reused, edits, dependencies
// (refused, or accepted together), bulk acceptance by confidence, version conflicts and scopes.
import { codes, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';

// Written for this test: a film the seed does not have; Joaquin Phoenix, Spike Jonze and Her it has.
const ARTICLE = `Inherent Vice review: Paul Thomas Anderson's stoner noir

Inherent Vice (2014), written and directed by Paul Thomas Anderson, stars Joaquin Phoenix as Doc Sportello and Katherine Waterston as Shasta Fay Hepworth. The film is rated R and runs 148 minutes (IMDb: tt1791528).
Phoenix is wonderful, as he was in Spike Jonze's Her. Inherent Vice, a detective comedy, is released in the UK on 30th January.
"A shaggy, seductive puzzle," said Mark Kermode in The Observer, awarding it four stars. Waterstone is a revelation.`;

const SECOND = `Glass Harbour (2021), directed by Maeve Connolly, stars Saoirse Kinsella as Claire and Tomas Reilly as Declan.`;

const PROPOSAL = `id key kind status version reviewedBy result { __typename id }`;

const ACCEPT = `mutation ($input: AcceptProposalInput!) {
  acceptProposal(input: $input) {
    proposal { ${PROPOSAL} }
    accepted { key }
    userErrors { field code message currentVersion }
  }
}`;

const BULK = `mutation ($input: AcceptProposalsInput!) {
  acceptProposals(input: $input) {
    acceptedCount failedCount
    outcomes { accepted proposal { key status } userErrors { code field message } }
    userErrors { field code message }
  }
}`;

const cited = `citations { kind field excerpt start end note source { id } }`;

const api = useApi();
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
let sourceId: string;
let text: string;
const proposals = new Map<string, { id: string; version: number }>();

async function ingest(article: string, title: string) {
  const result = await client.query(
    `mutation ($input: IngestSourceInput!) { ingestSource(input: $input) { source { id text proposals(first: 100) { nodes { id key version } } } userErrors { code } } }`,
    { input: { text: article, title, publishedOn: '2015-01-28' } },
    write,
  );
  expect(result.data!['ingestSource'].userErrors).toEqual([]);
  const source = result.data!['ingestSource'].source;
  for (const p of source.proposals.nodes) proposals.set(p.key, p);
  return source;
}

async function accept(key: string, extra: Record<string, unknown> = {}, headers: Headers = write) {
  const p = proposals.get(key);
  if (!p) throw new Error(`no proposal ${key}: ${[...proposals.keys()].join(', ')}`);
  const result = await client.query(ACCEPT, { input: { id: p.id, version: p.version, ...extra } }, headers);
  expect(result.errors).toBeUndefined();
  return result.data!['acceptProposal'];
}

async function node(result: { __typename: string; id: string }, fields: string) {
  const query = `query ($id: ID!) { node(id: $id) { ... on ${result.__typename} { ${fields} } } }`;
  const read = await client.query(query, { id: result.id });
  expect(read.errors).toBeUndefined();
  return read.data!['node'];
}
const pendingStatus = async (key: string) => await api.db.prisma.proposal.findFirstOrThrow({ where: { key }, select: { status: true, version: true } });

beforeAll(async () => {
  client = api.client;
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
  const source = await ingest(ARTICLE, 'Inherent Vice review');
  sourceId = source.id;
  text = source.text;
});

/** Every citation points at the article, at offsets that hold its excerpt. */
function expectExcerpts(citations: { excerpt: string; start: number; end: number; source: { id: string } }[]) {
  expect(citations.length).toBeGreaterThan(0);
  for (const c of citations) {
    expect(c.source.id).toBe(sourceId);
    expect(text.slice(c.start, c.end)).toBe(c.excerpt);
  }
}

test('a credit whose film and person are pending is refused, naming them; nothing is written', async () => {
  const payload = await accept('cast:inherent-vice:katherine-waterston:shasta-fay-hepworth');
  expect(payload.proposal).toBeNull();
  expect(payload.userErrors).toEqual([
    {
      field: ['input', 'id'],
      code: 'DEPENDENCY_NOT_ACCEPTED',
      currentVersion: null,
      message:
        'cast:inherent-vice:katherine-waterston:shasta-fay-hepworth depends on film:inherent-vice (pending) and person:katherine-waterston (pending): accept them first, or pass withDependencies: true.',
    },
  ]);
  expect(await pendingStatus('cast:inherent-vice:katherine-waterston:shasta-fay-hepworth')).toEqual({ status: 'PENDING', version: 1 });
  expect(await api.db.prisma.film.count({ where: { title: 'Inherent Vice' } })).toBe(0);
});

test('accepting a new film creates it, cited to the proposal’s excerpts, with a revision in the feed', async () => {
  const payload = await accept('film:inherent-vice');
  expect(payload.userErrors).toEqual([]);
  expect(payload.proposal).toMatchObject({
    key: 'film:inherent-vice',
    status: 'ACCEPTED',
    version: 2,
    reviewedBy: keys.write.name,
    result: { __typename: 'Film' },
  });
  expect(payload.accepted).toEqual([{ key: 'film:inherent-vice' }]);
  const film = await node(payload.proposal.result, `title year ${cited} revisions(first: 5) { nodes { action changeSet { operationName } } }`);
  expect({ title: film.title, year: film.year }).toEqual({ title: 'Inherent Vice', year: 2014 });
  expectExcerpts(film.citations);
  // One citation row per fact (title, year) and excerpt (the title, the year beside it).
  expect(film.citations.map((c: any) => [c.field, c.excerpt, c.kind]).sort()).toEqual([
    ['title', '(2014)', 'STATED'],
    ['title', 'Inherent Vice', 'STATED'],
    ['year', '(2014)', 'STATED'],
    ['year', 'Inherent Vice', 'STATED'],
  ]);
  expect(film.revisions.nodes).toEqual([{ action: 'CREATE', changeSet: { operationName: 'acceptProposal' } }]);
});

test('a person the catalogue has resolves to that person: nothing is created', async () => {
  const before = await api.db.prisma.person.count();
  const payload = await accept('person:joaquin-phoenix');
  const existing = await client.query(`{ person(slug: "joaquin-phoenix") { id } }`);
  expect(payload.proposal.result).toEqual({ __typename: 'Person', id: existing.data!['person'].id });
  expect(await api.db.prisma.person.count()).toBe(before);
});

test('withDependencies accepts the pending person with the credit; edits override the proposed values and are noted', async () => {
  const payload = await accept('cast:inherent-vice:katherine-waterston:shasta-fay-hepworth', { withDependencies: true, edits: { character: 'Shasta Fay' } });
  expect(payload.userErrors).toEqual([]);
  expect(payload.accepted).toEqual([{ key: 'person:katherine-waterston' }, { key: 'cast:inherent-vice:katherine-waterston:shasta-fay-hepworth' }]);
  const credit = await node(payload.proposal.result, `character billingOrder person { name } film { title } ${cited}`);
  expect(credit).toMatchObject({ character: 'Shasta Fay', billingOrder: 2, person: { name: 'Katherine Waterston' }, film: { title: 'Inherent Vice' } });
  expectExcerpts(credit.citations);
  expect(credit.citations.find((c: any) => c.field === 'character').note).toMatch(/Edited on acceptance: character\.$/);
  expect(credit.citations.find((c: any) => c.field === 'billingOrder')).toMatchObject({ kind: 'INFERRED' });
});

test('an alias is added to the person its proposal names, cited INFERRED', async () => {
  const payload = await accept('alias:katherine-waterston:waterstone');
  expect(payload.userErrors).toEqual([]);
  const person = await node(payload.proposal.result, `name aliases { name ${cited} }`);
  expect(person.name).toBe('Katherine Waterston');
  expect(person.aliases.map((a: any) => a.name)).toEqual(['Waterstone']);
  expectExcerpts(person.aliases[0].citations);
  expect(person.aliases[0].citations[0].kind).toBe('INFERRED');
});

test('bad edits are user errors at their path, and nothing is written (not even the dependencies)', async () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['crew:inherent-vice:paul-thomas-anderson:director', { job: '' }, ['input', 'edits', 'job']],
    ['crew:inherent-vice:paul-thomas-anderson:director', { department: 'CATERING' }, ['input', 'edits', 'department']],
    ['crew:inherent-vice:paul-thomas-anderson:director', { bogus: 1 }, ['input', 'edits', 'bogus']],
    ['release:inherent-vice:GB:2015-01-30:THEATRICAL', { date: '30 January' }, ['input', 'edits', 'date']],
    ['release:inherent-vice:GB:2015-01-30:THEATRICAL', { country: 'Narnia' }, ['input', 'edits', 'country']],
    ['runtime:inherent-vice:148', { minutes: 0 }, ['input', 'edits', 'minutes']],
    ['externalId:inherent-vice:imdb-tt1791528', { value: 'nm0000' }, ['input', 'edits', 'value']],
  ];
  for (const [key, edits, field] of cases) {
    const payload = await accept(key, { edits, withDependencies: true });
    expect({ key, proposal: payload.proposal, errors: payload.userErrors.map((e: any) => [e.code, e.field]) }).toEqual({
      key,
      proposal: null,
      errors: [['INVALID', field]],
    });
    expect(await pendingStatus(key)).toEqual({ status: 'PENDING', version: 1 });
  }
  expect(await pendingStatus('person:paul-thomas-anderson')).toEqual({ status: 'PENDING', version: 1 });
  expect(await api.db.prisma.person.count({ where: { name: 'Paul Thomas Anderson' } })).toBe(0);
});

test('a release, and a certification stored on it (refused while the film has no release in its country)', async () => {
  const cert = await accept('certification:inherent-vice:us-r');
  expect(cert.userErrors.map((e: any) => e.code)).toEqual(['DEPENDENCY_NOT_ACCEPTED']);
  expect(cert.userErrors[0].message).toMatch(/no release in US/);

  const release = await accept('release:inherent-vice:GB:2015-01-30:THEATRICAL');
  expect(release.userErrors).toEqual([]);
  const gb = await accept('certification:inherent-vice:us-r', { edits: { country: 'GB', rating: '18' } });
  expect(gb.userErrors).toEqual([]);
  expect(gb.proposal.result).toEqual(release.proposal.result);
  const row = await node(release.proposal.result, `country date type certification ${cited}`);
  expect(row).toMatchObject({ country: 'GB', date: '2015-01-30', type: 'THEATRICAL', certification: '18' });
  expectExcerpts(row.citations);
  expect(row.citations.filter((c: any) => c.field === 'date').map((c: any) => c.kind)).toEqual(['INFERRED']);
});

test('genre, runtime and external id update the film, each cited', async () => {
  for (const key of ['genre:inherent-vice:crime', 'runtime:inherent-vice:148', 'externalId:inherent-vice:imdb-tt1791528']) {
    expect((await accept(key)).userErrors).toEqual([]);
  }
  const film = await api.db.prisma.film.findFirstOrThrow({
    where: { title: 'Inherent Vice' },
    select: { genres: true, runtimeMinutes: true, imdbId: true, citations: { select: { field: true } } },
  });
  expect({ genres: film.genres, runtimeMinutes: film.runtimeMinutes, imdbId: film.imdbId }).toEqual({
    genres: ['Crime'],
    runtimeMinutes: 148,
    imdbId: 'tt1791528',
  });
  expect(film.citations.map((c) => c.field)).toEqual(expect.arrayContaining(['genres', 'runtimeMinutes', 'imdbId']));
});

test('a review creates its outlet and critic, with the rating and the quote cited verbatim', async () => {
  const payload = await accept('review:inherent-vice:the-observer');
  expect(payload.userErrors).toEqual([]);
  const review = await node(
    payload.proposal.result,
    `originalScore scoreScale publication { name } critic { name publications { name } } quotes { text ${cited} } ${cited}`,
  );
  expect(review).toMatchObject({
    originalScore: 4,
    scoreScale: 5,
    publication: { name: 'The Observer' },
    critic: { name: 'Mark Kermode', publications: [{ name: 'The Observer' }] },
    quotes: [{ text: 'A shaggy, seductive puzzle' }],
  });
  expectExcerpts(review.citations);
  expectExcerpts(review.quotes[0].citations);
});

test('a stale version is CONFLICT, an accepted proposal NOT_PENDING; concurrent accepts write one credit', async () => {
  const key = 'crew:inherent-vice:paul-thomas-anderson:director';
  const results = await Promise.all(Array.from({ length: 6 }, () => accept(key, { withDependencies: true })));
  const outcomes = results.map((r) => r.userErrors[0]?.code ?? 'OK');
  expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
  expect(outcomes.every((o) => o === 'OK' || o === 'CONFLICT' || o === 'NOT_PENDING')).toBe(true);
  expect(await api.db.prisma.credit.count({ where: { person: { name: 'Paul Thomas Anderson' }, job: 'Director' } })).toBe(1);
  expect(await api.db.prisma.person.count({ where: { name: 'Paul Thomas Anderson' } })).toBe(1);

  const stale = await accept(key);
  expect(stale.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'version'], currentVersion: 2 })]);
  proposals.set(key, { ...proposals.get(key)!, version: 2 });
  const twice = await accept(key);
  expect(twice.userErrors).toEqual([expect.objectContaining({ code: 'NOT_PENDING', field: ['input', 'id'] })]);
});

test('a rejected dependency cannot be accepted along', async () => {
  const person = proposals.get('person:spike-jonze')!;
  const rejected = await client.query(
    `mutation ($input: RejectProposalInput!) { rejectProposal(input: $input) { userErrors { code } } }`,
    {
      input: { id: person.id, version: 1, reason: 'not this article’s subject' },
    },
    write,
  );
  expect(rejected.data!['rejectProposal'].userErrors).toEqual([]);
  const payload = await accept('crew:her:spike-jonze:director', { withDependencies: true });
  expect(payload.userErrors).toEqual([
    expect.objectContaining({
      code: 'DEPENDENCY_NOT_ACCEPTED',
      message: 'crew:her:spike-jonze:director depends on person:spike-jonze (rejected): accept it first.',
    }),
  ]);
  expect(await pendingStatus('film:her')).toEqual({ status: 'PENDING', version: 1 });
});

test('a read key may not accept', async () => {
  const p = proposals.get('genre:inherent-vice:comedy')!;
  const result = await client.query(ACCEPT, { input: { id: p.id, version: 1 } }, keys.read.headers);
  expect(codes(result)).toEqual(['FORBIDDEN']);
  const bulk = await client.query(BULK, { input: { sourceId, minConfidence: 0.9 } }, keys.read.headers);
  expect(codes(bulk)).toEqual(['FORBIDDEN']);
  expect(await pendingStatus('genre:inherent-vice:comedy')).toEqual({ status: 'PENDING', version: 1 });
});

describe('acceptProposals', () => {
  let second: string;
  beforeAll(async () => {
    second = (await ingest(SECOND, 'Glass Harbour news')).id;
  });

  test('refuses, proposal by proposal, what depends on proposals left pending; nothing of those is written', async () => {
    const result = await client.query(BULK, { input: { sourceId: second, minConfidence: 0.5, kinds: ['CAST_CREDIT'] } }, write);
    const payload = result.data!['acceptProposals'];
    expect(payload).toMatchObject({ acceptedCount: 0, failedCount: 2, userErrors: [] });
    for (const o of payload.outcomes) {
      expect(o).toMatchObject({ accepted: false, proposal: { status: 'PENDING' }, userErrors: [{ code: 'DEPENDENCY_NOT_ACCEPTED' }] });
    }
    expect(await api.db.prisma.film.count({ where: { title: 'Glass Harbour' } })).toBe(0);
  });

  test('with withDependencies it accepts them together, in dependency order; a retry with the same key replays the result', async () => {
    const input = { sourceId: second, minConfidence: 0.5, kinds: ['CAST_CREDIT', 'CREW_CREDIT'], withDependencies: true, idempotencyKey: 'glass-harbour-1' };
    const result = await client.query(BULK, { input }, write);
    const payload = result.data!['acceptProposals'];
    expect(payload.failedCount).toBe(0);
    expect(payload.outcomes.map((o: any) => o.proposal.key)).toEqual([
      'film:glass-harbour',
      'person:saoirse-kinsella',
      'cast:glass-harbour:saoirse-kinsella:claire',
      'person:tomas-reilly',
      'cast:glass-harbour:tomas-reilly:declan',
      'person:maeve-connolly',
      'crew:glass-harbour:maeve-connolly:director',
    ]);
    expect(payload.acceptedCount).toBe(7);
    const film = await client.query(`{ film(slug: "glass-harbour") { year cast { person { name } character billingOrder } directors { name } } }`);
    expect(film.data!['film']).toEqual({
      year: 2021,
      cast: [
        { person: { name: 'Saoirse Kinsella' }, character: 'Claire', billingOrder: 1 },
        { person: { name: 'Tomas Reilly' }, character: 'Declan', billingOrder: 2 },
      ],
      directors: [{ name: 'Maeve Connolly' }],
    });
    const replay = await client.query(BULK, { input }, write);
    expect(replay.data!['acceptProposals']).toMatchObject({ acceptedCount: 7, failedCount: 0 });
    expect(await api.db.prisma.changeSet.count({ where: { operationName: 'acceptProposals' } })).toBe(1);
  });

  test('an unknown source and an out-of-range confidence are user errors', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ sourceId: 'U291cmNlOjk5OTk5OQ==', minConfidence: 0.5 }, 'NOT_FOUND', ['input', 'sourceId']],
      [{ sourceId: second, minConfidence: 1.5 }, 'INVALID', ['input', 'minConfidence']],
    ];
    for (const [input, code, field] of cases) {
      const result = await client.query(BULK, { input }, write);
      expect(result.data!['acceptProposals'].userErrors).toEqual([expect.objectContaining({ code, field })]);
    }
  });
});
