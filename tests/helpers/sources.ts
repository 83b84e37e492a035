import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** A Source with `text`, for citing facts in write tests (slug unique per test file). */
export async function insertSource(prisma: PrismaClient, slug: string, text: string) {
  return prisma.source.create({ data: { slug, text, sha256: createHash('sha256').update(text).digest('hex'), title: slug } });
}
