/**
 * The bare handler's queries (bench/bare-handler.ts): the Prisma calls a hand-written endpoint
 * makes for each scenario, with relationLoadStrategy 'join' like Cinegraph, and no GraphQL.
 * Also the floor of `npm run bench:inprocess`.
 */
import type { Prisma, PrismaClient } from '../src/generated/prisma/client.ts';
import { castOrder, creditOrder } from '../src/schema/credit.ts';
import { reviewOrder } from '../src/schema/review/review.ts';

const person = { select: { id: true, slug: true, name: true } } as const;

export function bareQueries(prisma: PrismaClient) {
  function film(slug: string, first: number) {
    return prisma.film
      .findUnique({
        where: { slug },
        relationLoadStrategy: 'join',
        select: {
          id: true,
          slug: true,
          title: true,
          year: true,
          runtimeMinutes: true,
          genres: true,
          synopsis: true,
          credits: {
            where: { OR: [{ kind: 'CAST' }, { kind: 'CREW', job: 'Director' }] },
            orderBy: castOrder,
            select: { kind: true, job: true, character: true, billingOrder: true, person },
          },
          releases: { orderBy: [{ date: 'asc' }, { country: 'asc' }, { id: 'asc' }], select: { country: true, date: true, type: true, certification: true } },
          reviews: {
            take: 5,
            orderBy: [...reviewOrder],
            select: { normalizedScore: true, publishedOn: true, publication: { select: { name: true, slug: true } } },
          },
        },
      })
      .then((f) => {
        if (!f) return null;
        // Prisma cannot select one relation twice with different filters in one query, so cast and
        // directors come from one credits list split here (one statement, like Cinegraph's).
        const { credits, ...rest } = f;
        const cast = credits.filter((c) => c.kind === 'CAST').slice(0, first);
        const directors = [...new Map(credits.filter((c) => c.kind === 'CREW').map((c) => [c.person.id, c.person])).values()];
        return { ...rest, cast, directors };
      });
  }

  function films(yearFrom: number, yearTo: number, genre: string, first: number) {
    const where: Prisma.FilmWhereInput = { year: { gte: yearFrom, lte: yearTo }, genres: { has: genre } };
    return prisma.film.findMany({
      where,
      orderBy: [{ year: 'desc' }, { id: 'asc' }],
      take: first,
      relationLoadStrategy: 'join',
      select: {
        id: true,
        title: true,
        year: true,
        credits: { take: 8, orderBy: creditOrder, select: { job: true, character: true, person: { select: { id: true, name: true } } } },
      },
    });
  }

  // Prefix match on titles and names, unranked: the bare ceiling for a query Cinegraph answers with ranking.
  async function search(query: string, first: number) {
    const [filmRows, people] = await Promise.all([
      prisma.film.findMany({
        where: { title: { startsWith: query, mode: 'insensitive' } },
        orderBy: [{ title: 'asc' }, { id: 'asc' }],
        take: first,
        select: { id: true, title: true, year: true },
      }),
      prisma.person.findMany({
        where: { name: { startsWith: query, mode: 'insensitive' } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: first,
        select: { id: true, name: true },
      }),
    ]);
    return [...filmRows.map((f) => ({ __typename: 'Film', ...f })), ...people.map((p) => ({ __typename: 'Person', ...p }))].slice(0, first);
  }

  return { film, films, search };
}
