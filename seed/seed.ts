import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { directQuery } from '../src/db/direct.ts';
import { ArticleSeeding, type Tx } from './article.ts';
import { herArticle } from './her.ts';
import type { ArticleSeed } from './types.ts';

export interface SeedReport {
  source: string;
  created: number;
  updated: number;
  deleted: number;
}

async function seedArticle(tx: Tx, seed: ArticleSeed, text: string): Promise<SeedReport> {
  // Serialise concurrent seeders (two processes starting on one fresh PostgreSQL).
  await tx.$queryRawUnsafe('SELECT pg_advisory_xact_lock(4851)::text AS locked');
  const seeding = new ArticleSeeding(tx, seed, text);
  const sourceId = await seeding.source();
  // In this order: credits name films and people, reviews films and publications.
  await seeding.films();
  await seeding.people();
  await seeding.credits();
  await seeding.publications();
  await seeding.reviews();
  await seeding.releases();
  await seeding.citations(sourceId);
  const { created, updated, deleted } = seeding.count;
  return { source: seed.source.slug, created, updated, deleted };
}

export const SEED_DIR = import.meta.dirname;

/** Load every seeded article. Idempotent: a second run reports 0 created/updated/deleted. */
export async function seed(prisma: PrismaClient): Promise<SeedReport[]> {
  return seedArticles(prisma, [herArticle]);
}

/** Load the given articles (text read from seed/); exported so tests can seed edited data. */
export async function seedArticles(prisma: PrismaClient, articles: ArticleSeed[]): Promise<SeedReport[]> {
  const reports: SeedReport[] = [];
  for (const article of articles) {
    const text = await readFile(path.join(SEED_DIR, article.source.file), 'utf8');
    reports.push(await prisma.$transaction((tx) => seedArticle(tx, article, text), { timeout: 60_000, maxWait: 30_000 }));
  }
  return reports;
}

/** True when nothing has been seeded yet (used by `npm start` to seed a fresh database). */
export async function isEmpty(prisma: PrismaClient): Promise<boolean> {
  // Sent beside Prisma (src/db/direct.ts): a start on a seeded database then answers /ready
  // before Prisma's query engine has loaded.
  const [row] = await directQuery(prisma)('SELECT EXISTS (SELECT 1 FROM "Source") AS "any"', []);
  return row?.['any'] !== true;
}
