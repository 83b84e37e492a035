-- Catalogue imports (docs/importing.md): dataset snapshots as sources, record citations, audience
-- ratings, alternative titles, companies, money, title types, conflicts and import runs.

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('ARTICLE', 'DATASET');

-- CreateEnum
CREATE TYPE "TitleType" AS ENUM ('FEATURE', 'SHORT', 'TV_MOVIE', 'TV_SERIES', 'TV_MINI_SERIES', 'TV_EPISODE', 'TV_SPECIAL', 'TV_SHORT', 'VIDEO', 'VIDEO_GAME');

-- CreateEnum
CREATE TYPE "RatingSource" AS ENUM ('IMDB', 'ROTTEN_TOMATOES', 'METACRITIC');

-- CreateEnum
CREATE TYPE "CompanyRole" AS ENUM ('DISTRIBUTOR', 'PRODUCTION');

-- CreateEnum
CREATE TYPE "MoneyKind" AS ENUM ('BUDGET', 'GROSS_US', 'GROSS_WORLDWIDE', 'DVD_SALES_US');

-- CreateEnum
CREATE TYPE "ConflictStatus" AS ENUM ('OPEN', 'KEPT_CURRENT', 'ACCEPTED_INCOMING');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "Film" ADD COLUMN     "titleType" "TitleType";

-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "kind" "SourceKind" NOT NULL DEFAULT 'ARTICLE',
ADD COLUMN     "dataset" TEXT,
ADD COLUMN     "snapshot" TEXT,
ADD COLUMN     "licence" TEXT;

-- AlterTable
ALTER TABLE "Citation" ALTER COLUMN "excerpt" DROP NOT NULL,
ALTER COLUMN "start" DROP NOT NULL,
ALTER COLUMN "end" DROP NOT NULL,
ADD COLUMN     "recordFile" TEXT,
ADD COLUMN     "recordKey" TEXT,
ADD COLUMN     "recordFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "ratingId" INTEGER,
ADD COLUMN     "filmTitleId" INTEGER,
ADD COLUMN     "companyId" INTEGER,
ADD COLUMN     "filmCompanyId" INTEGER,
ADD COLUMN     "filmMoneyId" INTEGER;

-- CreateTable
CREATE TABLE "Rating" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "source" "RatingSource" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "scale" DOUBLE PRECISION NOT NULL,
    "votes" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FilmTitle" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT '',
    "types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "FilmTitle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Company" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Company_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FilmCompany" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "companyId" INTEGER NOT NULL,
    "role" "CompanyRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "FilmCompany_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FilmMoney" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "kind" "MoneyKind" NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "FilmMoney_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conflict" (
    "id" SERIAL NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "currentValue" JSONB,
    "currentCitationIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "incomingValue" JSONB NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "recordFile" TEXT NOT NULL,
    "recordKey" TEXT NOT NULL,
    "recordFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ConflictStatus" NOT NULL DEFAULT 'OPEN',
    "resolvedBy" TEXT,
    "resolvedAt" TIMESTAMPTZ(3),
    "changeSetId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Conflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'RUNNING',
    "changeSetId" INTEGER,
    "counts" JSONB NOT NULL,
    "checkpoint" JSONB NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Film_titleType_idx" ON "Film"("titleType");

-- CreateIndex
CREATE UNIQUE INDEX "Source_dataset_snapshot_key" ON "Source"("dataset", "snapshot");

-- CreateIndex
CREATE INDEX "Citation_ratingId_idx" ON "Citation"("ratingId");

-- CreateIndex
CREATE INDEX "Citation_filmTitleId_idx" ON "Citation"("filmTitleId");

-- CreateIndex
CREATE INDEX "Citation_companyId_idx" ON "Citation"("companyId");

-- CreateIndex
CREATE INDEX "Citation_filmCompanyId_idx" ON "Citation"("filmCompanyId");

-- CreateIndex
CREATE INDEX "Citation_filmMoneyId_idx" ON "Citation"("filmMoneyId");

-- CreateIndex
CREATE INDEX "Citation_recordFile_recordKey_idx" ON "Citation"("recordFile", "recordKey");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_filmId_source_key" ON "Rating"("filmId", "source");

-- CreateIndex
CREATE UNIQUE INDEX "FilmTitle_filmId_title_region_language_key" ON "FilmTitle"("filmId", "title", "region", "language");

-- CreateIndex
CREATE INDEX "FilmTitle_title_idx" ON "FilmTitle"("title");

-- CreateIndex
CREATE UNIQUE INDEX "Company_slug_key" ON "Company"("slug");

-- CreateIndex
CREATE INDEX "Company_name_idx" ON "Company"("name");

-- CreateIndex
CREATE UNIQUE INDEX "FilmCompany_filmId_companyId_role_key" ON "FilmCompany"("filmId", "companyId", "role");

-- CreateIndex
CREATE INDEX "FilmCompany_companyId_idx" ON "FilmCompany"("companyId");

-- CreateIndex
CREATE UNIQUE INDEX "FilmMoney_filmId_kind_key" ON "FilmMoney"("filmId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Conflict_entityType_entityId_field_sourceId_key" ON "Conflict"("entityType", "entityId", "field", "sourceId");

-- CreateIndex
CREATE INDEX "Conflict_status_id_idx" ON "Conflict"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ImportRun_changeSetId_key" ON "ImportRun"("changeSetId");

-- CreateIndex
CREATE INDEX "ImportRun_sourceId_status_idx" ON "ImportRun"("sourceId", "status");

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_ratingId_fkey" FOREIGN KEY ("ratingId") REFERENCES "Rating"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_filmTitleId_fkey" FOREIGN KEY ("filmTitleId") REFERENCES "FilmTitle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_filmCompanyId_fkey" FOREIGN KEY ("filmCompanyId") REFERENCES "FilmCompany"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_filmMoneyId_fkey" FOREIGN KEY ("filmMoneyId") REFERENCES "FilmMoney"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilmTitle" ADD CONSTRAINT "FilmTitle_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilmCompany" ADD CONSTRAINT "FilmCompany_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilmCompany" ADD CONSTRAINT "FilmCompany_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilmMoney" ADD CONSTRAINT "FilmMoney_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conflict" ADD CONSTRAINT "Conflict_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the exactly-one-target CHECK over the new target columns, and a citation is
-- either a text citation (excerpt and offsets) or a record citation (file and key), never both.
ALTER TABLE "Citation" DROP CONSTRAINT "Citation_exactly_one_target";
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_exactly_one_target" CHECK (
    num_nonnulls("filmId", "personId", "personAliasId", "creditId", "publicationId", "criticId", "reviewId", "reviewQuoteId", "releaseId",
                 "ratingId", "filmTitleId", "companyId", "filmCompanyId", "filmMoneyId") = 1
);
ALTER TABLE "Citation" DROP CONSTRAINT "Citation_offsets";
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_locator" CHECK (
    ("excerpt" IS NOT NULL AND "start" >= 0 AND "end" > "start" AND "recordFile" IS NULL AND "recordKey" IS NULL)
    OR ("excerpt" IS NULL AND "start" IS NULL AND "end" IS NULL AND "recordFile" IS NOT NULL AND "recordKey" IS NOT NULL)
);
ALTER TABLE "Source" ADD CONSTRAINT "Source_dataset_shape" CHECK (("kind" = 'DATASET') = ("dataset" IS NOT NULL AND "snapshot" IS NOT NULL));
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_value_range" CHECK ("scale" > 0 AND "value" BETWEEN 0 AND "scale" AND ("votes" IS NULL OR "votes" >= 0));
ALTER TABLE "FilmMoney" ADD CONSTRAINT "FilmMoney_amount" CHECK ("amount" >= 0 AND "currency" ~ '^[A-Z]{3}$');

-- Hand-written: alternative titles are searched like person aliases (the search migrations'
-- expressions, verbatim: the planner uses an expression index only for the very same expression).
CREATE INDEX "FilmTitle_title_search_idx" ON "FilmTitle" USING GIN (to_tsvector('simple', "cinegraph_normalize"("title")));
CREATE INDEX "FilmTitle_title_trgm_idx" ON "FilmTitle" USING GIN ("cinegraph_normalize"("title") gin_trgm_ops);
CREATE INDEX "FilmTitle_title_prefix_idx" ON "FilmTitle" (("cinegraph_normalize"("title") COLLATE "C"), "id");
