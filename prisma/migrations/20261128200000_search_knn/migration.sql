-- Bounded search (src/search/sql.ts): every candidate branch has a LIMIT, and the broad ones are
-- answered from these btree indexes in index order, so a request reads a bounded number of rows
-- however many match. tests/helpers/hand-written.ts lists every index created here with its
-- reason; tests/drift.test.ts checks each definition. (The name is the brief's: GiST trigram
-- nearest-neighbour indexes were measured for the fuzzy branch and left out, README "Search".)

-- Prefix branch: `cinegraph_normalize(col) COLLATE "C" LIKE 'synth%' ORDER BY 1, id LIMIT k`.
-- The "C" collation makes a LIKE prefix a btree range, and the index hands rows out already in
-- that order (exact and shortest completions first), so the scan stops after k rows.
CREATE INDEX "Film_title_prefix_idx" ON "Film" (("cinegraph_normalize"("title") COLLATE "C"), "id");
CREATE INDEX "Film_originalTitle_prefix_idx" ON "Film" (("cinegraph_normalize"("originalTitle") COLLATE "C"), "id");
CREATE INDEX "Person_name_prefix_idx" ON "Person" (("cinegraph_normalize"("name") COLLATE "C"), "id");
CREATE INDEX "PersonAlias_name_prefix_idx" ON "PersonAlias" (("cinegraph_normalize"("name") COLLATE "C"), "id");
CREATE INDEX "Publication_name_prefix_idx" ON "Publication" (("cinegraph_normalize"("name") COLLATE "C"), "id");
