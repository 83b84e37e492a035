-- Redirects (docs/writing.md#merges): mergeFilms and mergePeople delete the merged-away record
-- and leave its global id and slug pointing at the record it was merged into. Exactly one of
-- filmId / personId is set, matching entityType; deleting that record deletes its redirects.

-- CreateTable
CREATE TABLE "Redirect" (
    "id" SERIAL NOT NULL,
    "entityType" TEXT NOT NULL,
    "fromId" INTEGER NOT NULL,
    "fromSlug" TEXT NOT NULL,
    "filmId" INTEGER,
    "personId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Redirect_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Redirect_entityType_fromId_key" ON "Redirect"("entityType", "fromId");

-- CreateIndex
CREATE UNIQUE INDEX "Redirect_entityType_fromSlug_key" ON "Redirect"("entityType", "fromSlug");

-- CreateIndex
CREATE INDEX "Redirect_filmId_idx" ON "Redirect"("filmId");

-- CreateIndex
CREATE INDEX "Redirect_personId_idx" ON "Redirect"("personId");

-- AddForeignKey
ALTER TABLE "Redirect" ADD CONSTRAINT "Redirect_filmId_fkey" FOREIGN KEY ("filmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redirect" ADD CONSTRAINT "Redirect_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the target column matches the type (Prisma's schema language cannot say so).
ALTER TABLE "Redirect" ADD CONSTRAINT "Redirect_one_target" CHECK (
  ("entityType" = 'Film' AND "filmId" IS NOT NULL AND "personId" IS NULL) OR
  ("entityType" = 'Person' AND "personId" IS NOT NULL AND "filmId" IS NULL)
);
