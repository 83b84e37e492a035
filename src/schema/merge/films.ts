/** mergeFilms: a film's credits, releases, reviews, citations and external ids move to another film; the loser becomes a redirect. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Prisma } from '../../generated/prisma/client.ts';
import { FILM_FACTS, FILM_FIELDS } from '../film/facts.ts';
import { deleteVersioned, updateVersioned } from '../write/entities.ts';
import type { Writer } from '../write/run.ts';
import { fillGaps, moveCitations, openMerge, redirect, reviseMergedAway, reviseMoved, scalars, type MergeInput, type MergeResult } from './merge.ts';

const FILM_SELECT = {
  ...(Object.fromEntries([...FILM_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<(typeof FILM_FIELDS)[number] | 'id' | 'version', true>),
  credits: true,
  releases: true,
  reviews: { select: { id: true, version: true, publicationId: true, criticId: true } },
  citations: { select: { id: true, version: true, sourceId: true } },
} satisfies Prisma.FilmSelect;

type Credit = Prisma.CreditGetPayload<object>;
type Release = Prisma.ReleaseGetPayload<object>;

const creditKey = (c: Credit) => JSON.stringify([c.personId, c.kind, c.job, c.character]);
// The same release is the same country × type (docs/writing.md#merges): the survivor's is kept.
const releaseKey = (r: Release) => `${r.country}|${r.type}`;

/** Splits the loser's rows into those that move and those the survivor already has (duplicate id → kept id). */
function partition<R extends { id: number }>(loser: R[], survivor: R[], key: (r: R) => string, prefer: (candidates: R[], r: R) => R = (c) => c[0]!) {
  const kept = new Map<string, R[]>();
  for (const r of survivor) kept.set(key(r), [...(kept.get(key(r)) ?? []), r]);
  const moved: R[] = [];
  const duplicates = new Map<number, number>();
  for (const r of loser) {
    const candidates = kept.get(key(r));
    if (candidates) duplicates.set(r.id, prefer(candidates, r).id);
    else moved.push(r);
  }
  return { moved, duplicates };
}

/**
 * Moves every credit, release, review and citation of `from` to `into`; a credit the survivor
 * already has (same person, kind, job and character) and a release of a country × type it already
 * has are collapsed into the survivor's, their citations moved; the survivor keeps its values and
 * takes the loser's where it has none (facts and external ids); the loser is deleted and redirects.
 */
export async function mergeFilms(w: Writer, input: MergeInput): Promise<MergeResult> {
  const { loser, survivor } = await openMerge(w, 'Film', input, (ids) => w.tx.film.findMany({ where: { id: { in: ids } }, select: FILM_SELECT }));
  const into = survivor.id;
  const intoGid = encodeGlobalID('Film', into);
  const moved: string[] = [];
  const deleted: string[] = [];

  const credits = partition(loser.credits, survivor.credits, creditKey);
  // Of the survivor's releases of that country × type, the one of the same date if any, else its first.
  const releases = partition(loser.releases, survivor.releases, releaseKey, (c, r) => c.find((k) => k.date.getTime() === r.date.getTime()) ?? c[0]!);
  const sources = [...loser.citations.map((c) => c.sourceId)];
  for (const [column, pairs] of [
    ['creditId', credits.duplicates],
    ['releaseId', releases.duplicates],
  ] as const) {
    const result = await moveCitations(w, column, pairs);
    moved.push(...result.moved);
    sources.push(...result.sources);
  }
  await w.tx.credit.deleteMany({ where: { id: { in: [...credits.duplicates.keys()] } } });
  await w.tx.release.deleteMany({ where: { id: { in: [...releases.duplicates.keys()] } } });
  for (const c of loser.credits.filter((c) => credits.duplicates.has(c.id))) {
    deleted.push(reviseMergedAway(w, 'Credit', c, scalars(c), encodeGlobalID('Credit', credits.duplicates.get(c.id)!)));
  }
  for (const r of loser.releases.filter((r) => releases.duplicates.has(r.id))) {
    deleted.push(reviseMergedAway(w, 'Release', r, scalars(r), encodeGlobalID('Release', releases.duplicates.get(r.id)!)));
  }

  const move = { where: { filmId: loser.id }, data: { filmId: into, version: { increment: 1 } } };
  await w.tx.credit.updateMany(move);
  await w.tx.release.updateMany(move);
  await w.tx.review.updateMany(move);
  await w.tx.citation.updateMany(move);
  moved.push(
    ...reviseMoved(w, 'Credit', credits.moved, 'filmId', loser.id, into),
    ...reviseMoved(w, 'Release', releases.moved, 'filmId', loser.id, into),
    ...reviseMoved(w, 'Review', loser.reviews, 'filmId', loser.id, into),
    ...reviseMoved(w, 'Citation', loser.citations, 'filmId', loser.id, into),
  );

  await redirect(w, 'Film', loser, into);
  // The loser goes first: the external ids it gives the survivor are unique.
  await deleteVersioned(w, 'Film', loser.id, input.fromVersion, ['input', 'from']);
  deleted.unshift(reviseMergedAway(w, 'Film', loser, FILM_FIELDS, intoGid));
  const gaps = fillGaps(survivor, loser, FILM_FACTS);
  await updateVersioned(w, 'Film', into, input.intoVersion, gaps, ['input', 'into']);
  w.revise('Film', into, 'MERGE', {
    before: { ...survivor, mergedFrom: null },
    after: { ...survivor, ...gaps, mergedFrom: encodeGlobalID('Film', loser.id) },
    fields: [...FILM_FIELDS, 'mergedFrom'],
  });

  for (const c of loser.credits) w.touched('Person', c.personId);
  for (const r of loser.reviews) {
    w.touched('Publication', r.publicationId);
    if (r.criticId !== null) w.touched('Critic', r.criticId);
  }
  for (const s of new Set(sources)) w.touched('Source', s);
  return { into, deletedIds: deleted, movedIds: moved };
}
