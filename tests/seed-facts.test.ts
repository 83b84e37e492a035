import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { createClient, type Client } from './helpers/graphql.ts';

let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = createClient(db);
});
afterAll(() => db?.close());

test('the seeded film Her has its director, writer and cast from the article', async () => {
  const result = await client.query(`{
    film(slug: "her") {
      title year genres
      directors { name }
      writers { name }
      cast { character voice billingOrder person { slug name } }
    }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data!.film).toEqual({
    title: 'Her',
    year: null,
    genres: ['Science Fiction'],
    directors: [{ name: 'Spike Jonze' }],
    writers: [{ name: 'Spike Jonze' }],
    cast: [
      { character: 'Theodore', voice: false, billingOrder: 1, person: { slug: 'joaquin-phoenix', name: 'Joaquin Phoenix' } },
      { character: 'Samantha', voice: true, billingOrder: 2, person: { slug: 'scarlett-johansson', name: 'Scarlett Johansson' } },
    ],
  });
});
