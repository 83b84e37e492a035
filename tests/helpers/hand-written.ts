/**
 * Database objects the migrations create that schema.prisma cannot express, each with the reason
 * it exists. The drift test expects exactly these beyond what the schema declares, and checks
 * each one's definition, so dropping or altering one fails as loudly as a drifted column.
 */

export interface HandWrittenIndex {
  table: string;
  name: string;
  /** pg_get_indexdef() of the index, as PostgreSQL 15 and PGlite both print it. */
  definition: string;
  /** Plain columns among the index keys, in order, as readCatalog lists them (none for a pure expression index). */
  columns?: string[];
  reason: string;
}

const searchIndex = (table: string, name: string, using: string): HandWrittenIndex => ({
  table,
  name,
  definition: `CREATE INDEX "${name}" ON public."${table}" USING gin (${using})`,
  reason:
    'Ranked search (20261128190000_search): Prisma indexes only plain columns, and these index an ' +
    'accent-folded expression (full-text tsvector or trigram).',
});

const prefixIndex = (table: string, name: string, column: string): HandWrittenIndex => ({
  table,
  name,
  definition: `CREATE INDEX "${name}" ON public."${table}" USING btree (cinegraph_normalize(${column}) COLLATE "C", id)`,
  columns: ['id'],
  reason:
    'Bounded search (20261128200000_search_knn): the prefix branch reads a LIKE prefix of the accent-folded ' +
    'value as a range, in index order, and stops at its LIMIT; Prisma cannot index an expression or a collation.',
});

/** The indexes ranked search reads (tests/search/plan.test.ts asserts each one is used). */
export const SEARCH_INDEXES: HandWrittenIndex[] = [
  searchIndex('Film', 'Film_title_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize(title))`),
  searchIndex('Film', 'Film_title_trgm_idx', 'cinegraph_normalize(title) gin_trgm_ops'),
  searchIndex('Film', 'Film_originalTitle_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize("originalTitle"))`),
  searchIndex('Film', 'Film_originalTitle_trgm_idx', 'cinegraph_normalize("originalTitle") gin_trgm_ops'),
  searchIndex('Film', 'Film_synopsis_search_idx', `to_tsvector('english'::regconfig, cinegraph_normalize(synopsis))`),
  searchIndex('Person', 'Person_name_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize(name))`),
  searchIndex('Person', 'Person_name_trgm_idx', 'cinegraph_normalize(name) gin_trgm_ops'),
  searchIndex('PersonAlias', 'PersonAlias_name_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize(name))`),
  searchIndex('PersonAlias', 'PersonAlias_name_trgm_idx', 'cinegraph_normalize(name) gin_trgm_ops'),
  searchIndex('Publication', 'Publication_name_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize(name))`),
  searchIndex('Publication', 'Publication_name_trgm_idx', 'cinegraph_normalize(name) gin_trgm_ops'),
  prefixIndex('Film', 'Film_title_prefix_idx', 'title'),
  prefixIndex('Film', 'Film_originalTitle_prefix_idx', '"originalTitle"'),
  prefixIndex('Person', 'Person_name_prefix_idx', 'name'),
  prefixIndex('PersonAlias', 'PersonAlias_name_prefix_idx', 'name'),
  prefixIndex('Publication', 'Publication_name_prefix_idx', 'name'),
];

export const HAND_WRITTEN_INDEXES: HandWrittenIndex[] = [...SEARCH_INDEXES];

export interface HandWrittenFunction {
  /** name(identity arguments) */
  signature: string;
  volatility: 'IMMUTABLE' | 'STABLE' | 'VOLATILE';
  reason: string;
}

export const HAND_WRITTEN_FUNCTIONS: HandWrittenFunction[] = [
  {
    signature: 'cinegraph_normalize(text)',
    volatility: 'IMMUTABLE',
    reason: 'Search: lower(unaccent()) with a schema-qualified dictionary, IMMUTABLE so the search indexes can use it.',
  },
];

/** The keyset-list indexes (not used by search, whose plan test checks the others). */
export const LIST_SCALE_INDEXES: HandWrittenIndex[] = [];

LIST_SCALE_INDEXES.push({
  table: 'Film',
  name: 'Film_year_desc_id_idx',
  columns: ['year', 'id'],
  definition: 'CREATE INDEX "Film_year_desc_id_idx" ON public."Film" USING btree (year DESC NULLS LAST, id)',
  reason:
    'Keyset lists (20261128200100_list_scale): films(orderBy: YEAR DESC) pages in `year DESC NULLS LAST, id` order; ' +
    "Prisma's @@index can state DESC but not NULLS LAST, and without both the page is a sort of every filtered film.",
});

const listScaleIndex = (column: string, reason: string): HandWrittenIndex => ({
  table: 'Film',
  name: `Film_${column}_desc_id_idx`,
  definition: `CREATE INDEX "Film_${column}_desc_id_idx" ON public."Film" USING btree ("${column}" DESC NULLS LAST, id)`,
  columns: [column, 'id'],
  reason: `Keyset lists (20261128200100_list_scale): ${reason} DESC pages in \`DESC NULLS LAST, id\` order, which Prisma's @@index cannot state.`,
});

LIST_SCALE_INDEXES.push(
  listScaleIndex('criticScoreAverage', 'films(orderBy: CRITIC_SCORE)'),
  listScaleIndex('firstReleaseDate', 'films(orderBy: RELEASE_DATE)'),
);
HAND_WRITTEN_INDEXES.push(...LIST_SCALE_INDEXES);

HAND_WRITTEN_INDEXES.push({
  table: 'Credit',
  name: 'Credit_crewFilmId_idx',
  definition: 'CREATE INDEX "Credit_crewFilmId_idx" ON public."Credit" USING btree ("crewFilmId") WHERE ("crewFilmId" IS NOT NULL)',
  columns: ['crewFilmId'],
  reason:
    'Crew relation (20261129000000_crew_relation): the lookup of Film.crewCredits; partial because cast credits, most ' +
    'rows, hold NULL there. Prisma cannot declare a partial index.',
});

const citationIndex = (columns: string[]): HandWrittenIndex => {
  const name = `Citation_${columns.join('_')}_idx`;
  const quoted = columns.map((c) => `"${c}"`);
  return {
    table: 'Citation',
    name,
    definition: `CREATE INDEX "${name}" ON public."Citation" USING btree (${quoted.join(', ')}) WHERE (${quoted[0]} IS NOT NULL)`,
    columns,
    reason:
      'Citation targets (20261201010000_citation_partial_indexes): a citation sets one target column, so a full index ' +
      'holds a NULL entry per citation of every other kind and an import pays for it on each insert. Prisma cannot declare a partial index.',
  };
};

/** Citation's target columns: a citation backs exactly one of these records. */
export const CITATION_TARGETS = [
  'filmId',
  'personId',
  'personAliasId',
  'creditId',
  'publicationId',
  'criticId',
  'reviewId',
  'reviewQuoteId',
  'releaseId',
  'ratingId',
  'filmTitleId',
  'companyId',
  'filmCompanyId',
  'filmMoneyId',
] as const;

HAND_WRITTEN_INDEXES.push(...CITATION_TARGETS.map((column) => citationIndex([column])), citationIndex(['recordFile', 'recordKey']));

// Alternative titles (20261130200000_catalog_import) are searched like person aliases.
HAND_WRITTEN_INDEXES.push(
  searchIndex('FilmTitle', 'FilmTitle_title_search_idx', `to_tsvector('simple'::regconfig, cinegraph_normalize(title))`),
  searchIndex('FilmTitle', 'FilmTitle_title_trgm_idx', 'cinegraph_normalize(title) gin_trgm_ops'),
  prefixIndex('FilmTitle', 'FilmTitle_title_prefix_idx', 'title'),
);

export interface HandWrittenGeneratedColumn {
  table: string;
  column: string;
  /** information_schema.columns.generation_expression, whitespace collapsed. */
  expression: string;
  reason: string;
}

/** Columns PostgreSQL computes (GENERATED ALWAYS … STORED): schema.prisma declares them as plain fields. */
export const HAND_WRITTEN_GENERATED_COLUMNS: HandWrittenGeneratedColumn[] = [
  {
    table: 'Credit',
    column: 'crewFilmId',
    expression: `CASE WHEN (kind = 'CREW'::"CreditKind") THEN "filmId" ELSE NULL::integer END`,
    reason:
      'Crew relation (20261129000000_crew_relation): filmId on crew credits only, the key of Film.crewCredits, so a crew ' +
      'list and a cast page load in one statement. Prisma has no generated columns.',
  },
];

HAND_WRITTEN_FUNCTIONS.push(
  {
    signature: 'cinegraph_refresh_film_critic_score()',
    volatility: 'VOLATILE',
    reason: 'Keyset lists (20261128200100_list_scale): trigger function keeping Film.criticScoreAverage = AVG of the reviews’ normalizedScore.',
  },
  {
    signature: 'cinegraph_refresh_film_first_release()',
    volatility: 'VOLATILE',
    reason: 'Keyset lists (20261128200100_list_scale): trigger function keeping Film.firstReleaseDate = MIN of the releases’ date.',
  },
);

export interface HandWrittenTrigger {
  table: string;
  name: string;
  /** pg_get_triggerdef() of the trigger. */
  definition: string;
  reason: string;
}

const statementTrigger = (table: string, name: string, event: 'INSERT' | 'UPDATE' | 'DELETE', fn: string, kept: string): HandWrittenTrigger => {
  const transition = { INSERT: 'NEW TABLE AS new_rows', UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', DELETE: 'OLD TABLE AS old_rows' }[event];
  return {
    table,
    name,
    definition: `CREATE TRIGGER "${name}" AFTER ${event} ON public."${table}" REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    reason: `Keyset lists (20261128200100_list_scale): keeps ${kept} in step with every ${event} on ${table}; Prisma has no triggers.`,
  };
};

/** Triggers of our own (not the ones PostgreSQL creates internally for foreign keys). */
export const HAND_WRITTEN_TRIGGERS: HandWrittenTrigger[] = [
  ...(['INSERT', 'UPDATE', 'DELETE'] as const).map((event) =>
    statementTrigger('Review', `Review_critic_score_${event.toLowerCase()}`, event, 'cinegraph_refresh_film_critic_score', 'Film.criticScoreAverage'),
  ),
  ...(['INSERT', 'UPDATE', 'DELETE'] as const).map((event) =>
    statementTrigger('Release', `Release_first_release_${event.toLowerCase()}`, event, 'cinegraph_refresh_film_first_release', 'Film.firstReleaseDate'),
  ),
];
