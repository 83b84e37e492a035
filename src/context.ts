import type { PrismaClient } from './generated/prisma/client.ts';
import type { CursorCodec } from './pagination/cursor.ts';

/** Built once per request in yoga.ts; resolvers read the database only through `prisma`. */
export interface Context {
  prisma: PrismaClient;
  /** Signs and checks the keyset cursors of `films` and `people` (CURSOR_SECRET). */
  cursors: CursorCodec;
}
