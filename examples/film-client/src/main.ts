// Prints a film page fetched as a persisted GET: `npx tsx examples/film-client/src/main.ts [slug] [country]`
// against CINEGRAPH_URL (default http://localhost:4000/graphql).
import { describeFilm, fetchFilmPagePersisted } from './client.ts';

const endpoint = process.env.CINEGRAPH_URL ?? 'http://localhost:4000/graphql';
const [slug = 'her', country = 'US'] = process.argv.slice(2);
const { data, cacheControl } = await fetchFilmPagePersisted(endpoint, { slug, country });
if (!data.film) {
  console.error(`no film with slug ${slug}`);
  process.exit(1);
}
console.log(describeFilm(data.film).join('\n'));
console.log(`(Cache-Control: ${cacheControl})`);
