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
