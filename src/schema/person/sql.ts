import { Prisma } from '../../generated/prisma/client.ts';
import type { SortKey } from '../../pagination/keyset.ts';

/** Every raw statement of the person domain: the people list's filter and sort keys. */

/** The filter's values as the SQL reads them (PersonFilter, validated by list.ts). */
export interface PersonConditions {
  name?: string | null;
  filmSlug?: string | null;
  department?: string | null;
  job?: string | null;
}

export type PersonOrderField = 'NAME' | 'CREATED_AT' | 'CREDIT_COUNT';

export const PERSON_ID = Prisma.raw('p."id"');
const P = PERSON_ID;

/** The rows of a people list: `FROM "Person" p` with the filter's WHERE (keyset source). */
export const personSource = (where: Prisma.Sql) => Prisma.sql`FROM "Person" p ${where}`;

export function personWhere(filter: PersonConditions | null | undefined): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (filter?.name) {
    // Wildcards typed by the client match literally.
    const pattern = `%${filter.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    c.push(Prisma.sql`p."name" ILIKE ${pattern}`);
  }
  if (filter?.filmSlug || filter?.department || filter?.job) {
    const parts: Prisma.Sql[] = [Prisma.sql`c."personId" = ${P}`];
    if (filter.filmSlug) parts.push(Prisma.sql`c."filmId" = (SELECT f."id" FROM "Film" f WHERE f."slug" = ${filter.filmSlug})`);
    if (filter.department) parts.push(Prisma.sql`CAST(c."department" AS text) = ${filter.department}`);
    if (filter.job) parts.push(Prisma.sql`lower(c."job") = lower(${filter.job})`);
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "Credit" c WHERE ${Prisma.join(parts, ' AND ')})`);
  }
  return c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
}

/** The sort key of one orderBy term. */
export function personSortKey(field: PersonOrderField, descending: boolean): SortKey {
  switch (field) {
    case 'NAME':
      return { expr: Prisma.sql`p."name"`, type: 'text', nullable: false, descending };
    case 'CREATED_AT':
      return { expr: Prisma.sql`p."createdAt"`, type: 'timestamptz', nullable: false, descending };
    case 'CREDIT_COUNT':
      return { expr: Prisma.sql`(SELECT CAST(count(*) AS int) FROM "Credit" c WHERE c."personId" = ${P})`, type: 'int', nullable: false, descending };
  }
}
