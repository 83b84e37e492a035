-- RELEASE_DATE ordering and the releasedIn filter take MIN("date") of one film's releases. With
-- only "Release_date_idx", the planner answers MIN with an ordered scan of every release in date
-- order until one of the film's turns up — once per film (27 s for a 3 000-film list on PGlite).
-- This index serves it per film directly.
-- CreateIndex
CREATE INDEX "Release_filmId_date_idx" ON "Release"("filmId", "date");
