-- Ranked search (src/search/sql.ts): full-text search plus trigram similarity, accent-insensitive.
-- Prisma cannot model expression indexes or functions: tests/helpers/hand-written.ts lists every
-- object created here, and tests/drift.test.ts checks each one's exact definition. The extensions
-- are declared in schema.prisma (postgresqlExtensions).

CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE EXTENSION IF NOT EXISTS "unaccent";

-- unaccent() is STABLE (it reads a dictionary found through search_path), so it cannot appear in
-- an index expression. Naming the dictionary schema-qualified makes the result depend on the
-- argument alone, which is what IMMUTABLE promises; lower() is folded in so every caller
-- normalises the same way.
CREATE FUNCTION "cinegraph_normalize"(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Titles and names use the 'simple' configuration: no stemming and no stop words, so "Her",
-- "It" or "The Others" stay searchable. Synopses use 'english' (stemming: "falling" finds "falls").
CREATE INDEX "Film_title_search_idx" ON "Film" USING GIN (to_tsvector('simple', "cinegraph_normalize"("title")));
CREATE INDEX "Film_title_trgm_idx" ON "Film" USING GIN ("cinegraph_normalize"("title") gin_trgm_ops);
CREATE INDEX "Film_originalTitle_search_idx" ON "Film" USING GIN (to_tsvector('simple', "cinegraph_normalize"("originalTitle")));
CREATE INDEX "Film_originalTitle_trgm_idx" ON "Film" USING GIN ("cinegraph_normalize"("originalTitle") gin_trgm_ops);
CREATE INDEX "Film_synopsis_search_idx" ON "Film" USING GIN (to_tsvector('english', "cinegraph_normalize"("synopsis")));

CREATE INDEX "Person_name_search_idx" ON "Person" USING GIN (to_tsvector('simple', "cinegraph_normalize"("name")));
CREATE INDEX "Person_name_trgm_idx" ON "Person" USING GIN ("cinegraph_normalize"("name") gin_trgm_ops);
CREATE INDEX "PersonAlias_name_search_idx" ON "PersonAlias" USING GIN (to_tsvector('simple', "cinegraph_normalize"("name")));
CREATE INDEX "PersonAlias_name_trgm_idx" ON "PersonAlias" USING GIN ("cinegraph_normalize"("name") gin_trgm_ops);

CREATE INDEX "Publication_name_search_idx" ON "Publication" USING GIN (to_tsvector('simple', "cinegraph_normalize"("name")));
CREATE INDEX "Publication_name_trgm_idx" ON "Publication" USING GIN ("cinegraph_normalize"("name") gin_trgm_ops);
