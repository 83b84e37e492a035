-- CreateEnum
CREATE TYPE "CreditKind" AS ENUM ('CAST', 'CREW');

-- CreateEnum
CREATE TYPE "Department" AS ENUM ('ACTING', 'DIRECTING', 'WRITING', 'PRODUCTION', 'CAMERA', 'EDITING', 'SOUND', 'ART', 'COSTUME_AND_MAKEUP', 'VISUAL_EFFECTS', 'CREW');

-- CreateEnum
CREATE TYPE "ReleaseType" AS ENUM ('PREMIERE', 'LIMITED', 'THEATRICAL', 'DIGITAL', 'PHYSICAL', 'TV');

-- CreateEnum
CREATE TYPE "CitationKind" AS ENUM ('STATED', 'INFERRED');

-- CreateTable
CREATE TABLE "Film" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "originalTitle" TEXT,
    "year" SMALLINT,
    "synopsis" TEXT,
    "genres" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "runtimeMinutes" SMALLINT,
    "imdbId" TEXT,
    "tmdbId" INTEGER,
    "wikidataId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Film_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "imdbId" TEXT,
    "tmdbId" INTEGER,
    "wikidataId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonAlias" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PersonAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Credit" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "kind" "CreditKind" NOT NULL,
    "department" "Department" NOT NULL,
    "job" TEXT NOT NULL,
    "character" TEXT NOT NULL DEFAULT '',
    "billingOrder" SMALLINT,
    "voice" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Credit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Publication" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Publication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Critic" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Critic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriticPublication" (
    "criticId" INTEGER NOT NULL,
    "publicationId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CriticPublication_pkey" PRIMARY KEY ("criticId","publicationId")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "publicationId" INTEGER NOT NULL,
    "criticId" INTEGER,
    "url" TEXT,
    "originalScore" DOUBLE PRECISION,
    "scoreScale" DOUBLE PRECISION,
    "normalizedScore" SMALLINT,
    "publishedOn" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewQuote" (
    "id" SERIAL NOT NULL,
    "reviewId" INTEGER NOT NULL,
    "position" SMALLINT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReviewQuote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" SERIAL NOT NULL,
    "filmId" INTEGER NOT NULL,
    "country" CHAR(2) NOT NULL,
    "date" DATE NOT NULL,
    "type" "ReleaseType" NOT NULL,
    "certification" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Source" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT,
    "url" TEXT,
    "publisher" TEXT,
    "publishedOn" DATE,
    "text" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Citation" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "kind" "CitationKind" NOT NULL,
    "field" TEXT,
    "excerpt" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "note" TEXT,
    "filmId" INTEGER,
    "personId" INTEGER,
    "personAliasId" INTEGER,
    "creditId" INTEGER,
    "publicationId" INTEGER,
    "reviewId" INTEGER,
    "reviewQuoteId" INTEGER,
    "releaseId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Citation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Film_slug_key" ON "Film"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Film_imdbId_key" ON "Film"("imdbId");

-- CreateIndex
CREATE UNIQUE INDEX "Film_tmdbId_key" ON "Film"("tmdbId");

-- CreateIndex
CREATE UNIQUE INDEX "Film_wikidataId_key" ON "Film"("wikidataId");

-- CreateIndex
CREATE INDEX "Film_year_idx" ON "Film"("year");

-- CreateIndex
CREATE INDEX "Film_title_idx" ON "Film"("title");

-- CreateIndex
CREATE INDEX "Film_createdAt_idx" ON "Film"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Person_slug_key" ON "Person"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Person_imdbId_key" ON "Person"("imdbId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_tmdbId_key" ON "Person"("tmdbId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_wikidataId_key" ON "Person"("wikidataId");

-- CreateIndex
CREATE INDEX "Person_name_idx" ON "Person"("name");

-- CreateIndex
CREATE INDEX "PersonAlias_name_idx" ON "PersonAlias"("name");

-- CreateIndex
CREATE UNIQUE INDEX "PersonAlias_personId_name_key" ON "PersonAlias"("personId", "name");

-- CreateIndex
CREATE INDEX "Credit_personId_idx" ON "Credit"("personId");

-- CreateIndex
CREATE INDEX "Credit_filmId_kind_billingOrder_idx" ON "Credit"("filmId", "kind", "billingOrder");

-- CreateIndex
CREATE INDEX "Credit_department_job_idx" ON "Credit"("department", "job");

-- CreateIndex
CREATE UNIQUE INDEX "Credit_filmId_personId_kind_job_character_key" ON "Credit"("filmId", "personId", "kind", "job", "character");

-- CreateIndex
CREATE UNIQUE INDEX "Publication_slug_key" ON "Publication"("slug");

-- CreateIndex
CREATE INDEX "Publication_name_idx" ON "Publication"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Critic_slug_key" ON "Critic"("slug");

-- CreateIndex
CREATE INDEX "Critic_name_idx" ON "Critic"("name");

-- CreateIndex
CREATE INDEX "CriticPublication_publicationId_idx" ON "CriticPublication"("publicationId");

-- CreateIndex
CREATE INDEX "Review_filmId_idx" ON "Review"("filmId");

-- CreateIndex
CREATE INDEX "Review_publicationId_idx" ON "Review"("publicationId");

-- CreateIndex
CREATE INDEX "Review_criticId_idx" ON "Review"("criticId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewQuote_reviewId_position_key" ON "ReviewQuote"("reviewId", "position");

-- CreateIndex
CREATE INDEX "Release_country_date_idx" ON "Release"("country", "date");

-- CreateIndex
CREATE INDEX "Release_date_idx" ON "Release"("date");

-- CreateIndex
CREATE UNIQUE INDEX "Release_filmId_country_type_date_key" ON "Release"("filmId", "country", "type", "date");

-- CreateIndex
CREATE UNIQUE INDEX "Source_slug_key" ON "Source"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Source_url_key" ON "Source"("url");

-- CreateIndex
CREATE INDEX "Citation_sourceId_idx" ON "Citation"("sourceId");

-- CreateIndex
CREATE INDEX "Citation_filmId_idx" ON "Citation"("filmId");

-- CreateIndex
CREATE INDEX "Citation_personId_idx" ON "Citation"("personId");

-- CreateIndex
CREATE INDEX "Citation_personAliasId_idx" ON "Citation"("personAliasId");

-- CreateIndex
CREATE INDEX "Citation_creditId_idx" ON "Citation"("creditId");

-- CreateIndex
CREATE INDEX "Citation_publicationId_idx" ON "Citation"("publicationId");

-- CreateIndex
CREATE INDEX "Citation_reviewId_idx" ON "Citation"("reviewId");

-- CreateIndex
CREATE INDEX "Citation_reviewQuoteId_idx" ON "Citation"("reviewQuoteId");

-- CreateIndex
CREATE INDEX "Citation_releaseId_idx" ON "Citation"("releaseId");

-- AddForeignKey
ALTER TABLE "PersonAlias" ADD CONSTRAINT "PersonAlias_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriticPublication" ADD CONSTRAINT "CriticPublication_criticId_fkey" FOREIGN KEY ("criticId") REFERENCES "Critic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriticPublication" ADD CONSTRAINT "CriticPublication_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_criticId_fkey" FOREIGN KEY ("criticId") REFERENCES "Critic"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewQuote" ADD CONSTRAINT "ReviewQuote_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_personAliasId_fkey" FOREIGN KEY ("personAliasId") REFERENCES "PersonAlias"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_creditId_fkey" FOREIGN KEY ("creditId") REFERENCES "Credit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_reviewQuoteId_fkey" FOREIGN KEY ("reviewQuoteId") REFERENCES "ReviewQuote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: CHECK constraints (Prisma's schema language cannot express them, and
-- `prisma migrate diff` ignores them, so they cause no drift).
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_exactly_one_target" CHECK (
    num_nonnulls("filmId", "personId", "personAliasId", "creditId", "publicationId", "reviewId", "reviewQuoteId", "releaseId") = 1
);
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_offsets" CHECK ("start" >= 0 AND "end" > "start");
ALTER TABLE "Review" ADD CONSTRAINT "Review_normalizedScore_range" CHECK ("normalizedScore" BETWEEN 0 AND 100);
ALTER TABLE "Review" ADD CONSTRAINT "Review_score_scale" CHECK ("originalScore" IS NULL OR ("scoreScale" > 0 AND "originalScore" BETWEEN 0 AND "scoreScale"));
ALTER TABLE "Release" ADD CONSTRAINT "Release_country_alpha2" CHECK ("country" ~ '^[A-Z]{2}$');
ALTER TABLE "Film" ADD CONSTRAINT "Film_year_range" CHECK ("year" BETWEEN 1870 AND 2200);
ALTER TABLE "Film" ADD CONSTRAINT "Film_runtime_positive" CHECK ("runtimeMinutes" > 0);
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_cast_shape" CHECK (("kind" = 'CAST') = ("department" = 'ACTING'));
