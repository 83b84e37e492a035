import { seed } from '../seed/seed.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPostgresDatabase } from '../tests/helpers/db.ts';
import { insertSyntheticCatalog } from '../tests/helpers/factory.ts';

/**
 * The measurement database: the seed plus `films` synthetic films (credits, reviews,
 * releases). PGlite in memory by default; with TEST_DATABASE_URL, a database of its own on
 * that PostgreSQL server, dropped by `close()`.
 */
export async function openMeasurementDatabase(films: number): Promise<{ db: Database; engine: string; close: () => Promise<void> }> {
  const created = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
  const db = await openDatabase(created ? { databaseUrl: created.url } : { inMemory: true });
  const session = await db.openSession();
  await migrate(session);
  await session.close();
  await seed(db.prisma);
  await insertSyntheticCatalog(db.prisma, { films, creditsPerFilm: 12, reviewsPerFilm: 3, releasesPerFilm: 3 });
  return {
    db,
    engine: db.kind,
    async close() {
      await db.close();
      await created?.drop();
    },
  };
}

/** The read mix both measurements use: one film in depth, a page of films with people, a wide scalar list. */
export const QUERY_MIX = {
  filmDetail: /* GraphQL */ `
    query FilmDetail {
      film(slug: "her") {
        title
        year
        genres
        synopsis
        directors {
          name
        }
        writers {
          name
        }
        cast {
          character
          billingOrder
          person {
            name
          }
        }
        releases {
          country
          date
          type
        }
        citations {
          excerpt
          start
          end
        }
      }
    }
  `,
  filmPage: /* GraphQL */ `
    query FilmPage {
      films(first: 50) {
        totalCount
        nodes {
          id
          title
          year
          genres
          credits(first: 10) {
            nodes {
              job
              character
              person {
                name
                slug
              }
            }
          }
        }
      }
    }
  `,
  wideList: /* GraphQL */ `
    query WideList {
      films(first: 100) {
        edges {
          cursor
          node {
            id
            slug
            title
            originalTitle
            year
            genres
            runtimeMinutes
            imdbId
            tmdbId
            wikidataId
            createdAt
            updatedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
} as const;
