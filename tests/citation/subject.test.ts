// Citation.subject: every citation of the seeded article names the record it backs, that record
// lists the citation among its own, and the subjects are planned into the citations' statement.
import { seed } from '../../seed/seed.ts';
import { useApi } from '../helpers/graphql.ts';

// Asking each of the 14 kinds of subject for its citations goes past the production cost limit on purpose.
const api = useApi(
  async (db) => {
    await seed(db.prisma);
  },
  { guard: { MAX_COST: 50_000 } },
);

const TYPES = [
  'Film',
  'Person',
  'PersonAlias',
  'Credit',
  'Publication',
  'Critic',
  'Review',
  'ReviewQuote',
  'Release',
  'Rating',
  'FilmTitle',
  'Company',
  'FilmCompany',
  'FilmMoney',
];

const SOURCE_SUBJECTS = `query ($first: Int!) {
  source(slug: "her-review") {
    citations(first: $first) {
      nodes {
        id
        field
        subject {
          __typename
          ${TYPES.map((type) => `... on ${type} { citations { id } }`).join('\n          ')}
          ... on Credit { film { slug } person { slug } }
          ... on Film { slug }
          ... on ReviewQuote { review { film { slug } } }
          ... on PersonAlias { person { slug } }
        }
      }
    }
  }
}`;

test("every citation of the seeded article has a subject, and the subject's own citations include it", async () => {
  const result = await api.client.query(SOURCE_SUBJECTS, { first: 100 });
  expect(result.errors).toBeUndefined();
  const nodes = result.data!.source.citations.nodes as { id: string; subject: { __typename: string; citations: { id: string }[] } | null }[];
  expect(nodes.length).toBeGreaterThan(20);
  for (const citation of nodes) {
    expect(citation.subject).not.toBeNull();
    expect(citation.subject!.citations.map((c) => c.id)).toContain(citation.id);
  }
  const kinds = new Set(nodes.map((c) => c.subject!.__typename));
  // The article backs the film, its credits, people, releases and the review itself.
  for (const type of ['Film', 'Credit', 'Person', 'Release', 'Review']) expect(kinds).toContain(type);
  const credit = nodes.find((c) => c.subject!.__typename === 'Credit')!.subject as unknown as { film: { slug: string }; person: { slug: string } };
  expect(credit.film.slug).toBe('her');
  expect(credit.person.slug).toMatch(/^[a-z0-9-]+$/);
  const film = nodes.find((c) => c.subject!.__typename === 'Film')!.subject as unknown as { slug: string };
  expect(film.slug).toBe('her');
});

test('subjects are loaded with the page of citations: the statement count does not grow with the page', async () => {
  const count = async (first: number) => {
    api.db.resetStatements();
    const result = await api.client.query(SOURCE_SUBJECTS, { first });
    expect(result.errors).toBeUndefined();
    expect(result.data!.source.citations.nodes).toHaveLength(first);
    return api.db.statements.length;
  };
  const few = await count(2);
  const many = await count(30);
  expect(many).toBe(few);
  console.info(`statements: source citations(first: 2) with subjects = ${few}, (first: 30) = ${many}`);
});

test('a film citation read from the film answers the film as its subject', async () => {
  const result = await api.client.query(`{ film(slug: "her") { id citations { field subject { __typename ... on Film { id } } } } }`);
  expect(result.errors).toBeUndefined();
  const film = result.data!.film;
  expect(film.citations.length).toBeGreaterThan(0);
  for (const citation of film.citations) expect(citation.subject).toEqual({ __typename: 'Film', id: film.id });
});
