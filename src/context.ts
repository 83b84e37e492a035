import type { Identity } from './auth.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { CursorCodec } from './pagination/cursor.ts';

/** A record a mutation wrote, by GraphQL typename and global ID (as clients and the response cache see it). */
export interface EntityRef {
  typename: string;
  id: string;
}

/** Built once per request in yoga.ts; resolvers read the database only through `prisma`. */
export interface Context {
  prisma: PrismaClient;
  /** Signs and checks the keyset cursors of `films` and `people` (CURSOR_SECRET). */
  cursors: CursorCodec;
  identity: Identity;
  /**
   * Every entity a mutation changed (see `recordWrite` in schema/write.ts); the response cache
   * drops cached reads that contained any of them once the mutation has finished.
   */
  written: EntityRef[];
}
