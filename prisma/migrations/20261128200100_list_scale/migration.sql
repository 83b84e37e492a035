-- Keyset lists at scale (films/people connections, src/pagination/keyset.ts). A page is
-- `ORDER BY <key> [DESC NULLS LAST], id LIMIT n + 1`; with an index in exactly that order
-- PostgreSQL reads the first n + 1 qualifying entries and stops, instead of sorting every
-- filtered row. The single-column indexes these replace ordered by the key alone, which left a
-- sort by id within each key value (whole years: ~8 000 films each at 1M films).

-- DropIndex
DROP INDEX "Film_year_idx";

-- DropIndex
DROP INDEX "Film_title_idx";

-- DropIndex
DROP INDEX "Film_createdAt_idx";

-- CreateIndex
CREATE INDEX "Film_year_id_idx" ON "Film"("year", "id");

-- CreateIndex
CREATE INDEX "Film_title_id_idx" ON "Film"("title", "id");

-- CreateIndex
CREATE INDEX "Film_createdAt_id_idx" ON "Film"("createdAt", "id");

-- DropIndex
DROP INDEX "Person_name_idx";

-- CreateIndex
CREATE INDEX "Person_name_id_idx" ON "Person"("name", "id");

-- CreateIndex
CREATE INDEX "Person_createdAt_id_idx" ON "Person"("createdAt", "id");

-- Hand-written (tests/helpers/hand-written.ts): YEAR DESC pages order `year DESC NULLS LAST, id
-- ASC` (films without a year last, as in every direction). The mixed directions and the NULLS
-- placement both have to be in the index for an ordered scan; Prisma's @@index can state the
-- direction but not NULLS LAST.
CREATE INDEX "Film_year_desc_id_idx" ON "Film"("year" DESC NULLS LAST, "id");

-- CRITIC_SCORE and RELEASE_DATE orderings sort on aggregates over other tables (AVG of the
-- film's scored reviews, MIN of its release dates). Computed per request, every page has to
-- aggregate every filtered film before it can pick the top n. These two columns hold the same
-- values, maintained by the statement-level triggers below on every write to "Review" and
-- "Release" (the seed, the API and hand-run SQL alike), so those orderings scan an index too.
-- RELEASE_DATE restricted to one country (filter.releasedIn.country) still aggregates.

-- AlterTable
ALTER TABLE "Film" ADD COLUMN "criticScoreAverage" DOUBLE PRECISION,
ADD COLUMN "firstReleaseDate" DATE;

-- CreateIndex
CREATE INDEX "Film_criticScoreAverage_id_idx" ON "Film"("criticScoreAverage", "id");

-- CreateIndex
CREATE INDEX "Film_firstReleaseDate_id_idx" ON "Film"("firstReleaseDate", "id");

-- Hand-written (tests/helpers/hand-written.ts): DESC pages, NULLS LAST as for YEAR above.
CREATE INDEX "Film_criticScoreAverage_desc_id_idx" ON "Film"("criticScoreAverage" DESC NULLS LAST, "id");
CREATE INDEX "Film_firstReleaseDate_desc_id_idx" ON "Film"("firstReleaseDate" DESC NULLS LAST, "id");

-- Hand-written: recompute the films a statement touched, once per statement (a bulk insert of
-- reviews costs one pass over the distinct films, not one per row). Transition tables exist only
-- for the events that have them, hence the TG_OP branches; plpgsql plans a branch only when it runs.
CREATE FUNCTION "cinegraph_refresh_film_critic_score"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "Film" f SET "criticScoreAverage" = s."average"
      FROM (SELECT c."filmId", (SELECT AVG(r."normalizedScore")::double precision FROM "Review" r
                                WHERE r."filmId" = c."filmId" AND r."normalizedScore" IS NOT NULL) AS "average"
              FROM (SELECT DISTINCT "filmId" FROM new_rows) c) s
     WHERE f."id" = s."filmId" AND f."criticScoreAverage" IS DISTINCT FROM s."average";
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Film" f SET "criticScoreAverage" = s."average"
      FROM (SELECT c."filmId", (SELECT AVG(r."normalizedScore")::double precision FROM "Review" r
                                WHERE r."filmId" = c."filmId" AND r."normalizedScore" IS NOT NULL) AS "average"
              FROM (SELECT DISTINCT "filmId" FROM old_rows) c) s
     WHERE f."id" = s."filmId" AND f."criticScoreAverage" IS DISTINCT FROM s."average";
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "cinegraph_refresh_film_first_release"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "Film" f SET "firstReleaseDate" = s."first"
      FROM (SELECT c."filmId", (SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = c."filmId") AS "first"
              FROM (SELECT DISTINCT "filmId" FROM new_rows) c) s
     WHERE f."id" = s."filmId" AND f."firstReleaseDate" IS DISTINCT FROM s."first";
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Film" f SET "firstReleaseDate" = s."first"
      FROM (SELECT c."filmId", (SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = c."filmId") AS "first"
              FROM (SELECT DISTINCT "filmId" FROM old_rows) c) s
     WHERE f."id" = s."filmId" AND f."firstReleaseDate" IS DISTINCT FROM s."first";
  END IF;
  RETURN NULL;
END
$$;

-- A trigger with transition tables names a single event.
CREATE TRIGGER "Review_critic_score_insert" AFTER INSERT ON "Review"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_critic_score"();
CREATE TRIGGER "Review_critic_score_update" AFTER UPDATE ON "Review"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_critic_score"();
CREATE TRIGGER "Review_critic_score_delete" AFTER DELETE ON "Review"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_critic_score"();
CREATE TRIGGER "Release_first_release_insert" AFTER INSERT ON "Release"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_first_release"();
CREATE TRIGGER "Release_first_release_update" AFTER UPDATE ON "Release"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_first_release"();
CREATE TRIGGER "Release_first_release_delete" AFTER DELETE ON "Release"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cinegraph_refresh_film_first_release"();

-- Films that already have reviews or releases.
UPDATE "Film" f SET
  "criticScoreAverage" = (SELECT AVG(r."normalizedScore")::double precision FROM "Review" r WHERE r."filmId" = f."id" AND r."normalizedScore" IS NOT NULL),
  "firstReleaseDate" = (SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = f."id")
WHERE EXISTS (SELECT 1 FROM "Review" r WHERE r."filmId" = f."id") OR EXISTS (SELECT 1 FROM "Release" r WHERE r."filmId" = f."id");
