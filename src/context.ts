import type { PrismaClient } from './generated/prisma/client.ts';

/** Built once per request in yoga.ts; resolvers read the database only through `prisma`. */
export interface Context {
  prisma: PrismaClient;
}
