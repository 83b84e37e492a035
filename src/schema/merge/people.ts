/** mergePeople: a person's credits, aliases, citations and external ids move to another person, whose alias the loser's name becomes; the loser becomes a redirect. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Prisma } from '../../generated/prisma/client.ts';
import { deleteVersioned, updateVersioned } from '../write/entities.ts';
import type { Writer } from '../write/run.ts';
import { fillGaps, moveCitations, openMerge, redirect, reviseMergedAway, reviseMoved, scalars, type MergeInput, type MergeResult } from './merge.ts';

/** What a Person revision diffs (the person mutations' fields). */
const PERSON_FIELDS = ['name', 'slug', 'imdbId', 'tmdbId', 'wikidataId'] as const;
/** What the survivor may take from the loser when it has none. */
const PERSON_GAPS = ['imdbId', 'tmdbId', 'wikidataId'] as const;

const PERSON_SELECT = {
  id: true,
  version: true,
  ...(Object.fromEntries(PERSON_FIELDS.map((f) => [f, true])) as Record<(typeof PERSON_FIELDS)[number], true>),
  credits: true,
  aliases: { select: { id: true, version: true, name: true, personId: true } },
  citations: { select: { id: true, version: true, sourceId: true, field: true } },
} satisfies Prisma.PersonSelect;

type Credit = Prisma.CreditGetPayload<object>;
const creditKey = (c: Credit) => JSON.stringify([c.filmId, c.kind, c.job, c.character]);

/**
 * Moves every credit, alias and citation of `from` to `into`. A credit the survivor already has
 * (same film, kind, job, character) is collapsed into the survivor's, its citations moved; so is
 * an alias it already has (an alias equal to the survivor's name goes, its citations moving to the
 * survivor's name). The loser's name becomes an alias of the survivor (when it is not its name or
 * an alias already), and the citations of the loser's name back that alias. The survivor keeps its
 * values and takes the loser's external ids where it has none; the loser is deleted and redirects.
 */
export async function mergePeople(w: Writer, input: MergeInput): Promise<MergeResult> {
  const { loser, survivor } = await openMerge(w, 'Person', input, (ids) => w.tx.person.findMany({ where: { id: { in: ids } }, select: PERSON_SELECT }));
  const into = survivor.id;
  const intoGid = encodeGlobalID('Person', into);
  const moved: string[] = [];
  const deleted: string[] = [];
  const sources = loser.citations.map((c) => c.sourceId);

  // Credits: the survivor's win over the loser's duplicates.
  const kept = new Map(survivor.credits.map((c) => [creditKey(c), c.id]));
  const creditDuplicates = new Map(loser.credits.flatMap((c) => (kept.has(creditKey(c)) ? [[c.id, kept.get(creditKey(c))!] as const] : [])));
  const movedCredits = loser.credits.filter((c) => !creditDuplicates.has(c.id));

  // Aliases: the survivor's win; one equal to the survivor's name is dropped.
  const aliasIds = new Map(survivor.aliases.map((a) => [a.name, a.id]));
  const aliasDuplicates = new Map(loser.aliases.flatMap((a) => (aliasIds.has(a.name) ? [[a.id, aliasIds.get(a.name)!] as const] : [])));
  const aliasesToName = loser.aliases.filter((a) => !aliasDuplicates.has(a.id) && a.name === survivor.name);
  const movedAliases = loser.aliases.filter((a) => !aliasDuplicates.has(a.id) && a.name !== survivor.name);
  for (const a of movedAliases) aliasIds.set(a.name, a.id);

  for (const [column, pairs] of [
    ['creditId', creditDuplicates],
    ['personAliasId', aliasDuplicates],
  ] as const) {
    const result = await moveCitations(w, column, pairs);
    moved.push(...result.moved);
    sources.push(...result.sources);
  }
  // An alias that is the survivor's name: its citations back the survivor's name.
  if (aliasesToName.length > 0) {
    const citations = await w.tx.citation.findMany({
      where: { personAliasId: { in: aliasesToName.map((a) => a.id) } },
      select: { id: true, version: true, personAliasId: true, sourceId: true },
    });
    await w.tx.citation.updateMany({
      where: { id: { in: citations.map((c) => c.id) } },
      data: { personAliasId: null, personId: into, field: 'name', version: { increment: 1 } },
    });
    for (const c of citations) {
      w.revise('Citation', c.id, 'MERGE', {
        before: { personAliasId: c.personAliasId, personId: null, version: c.version },
        after: { personAliasId: null, personId: into, field: 'name', version: c.version + 1 },
        fields: ['personAliasId', 'personId', 'field'],
      });
      moved.push(encodeGlobalID('Citation', c.id));
      sources.push(c.sourceId);
    }
  }
  await w.tx.credit.deleteMany({ where: { id: { in: [...creditDuplicates.keys()] } } });
  await w.tx.personAlias.deleteMany({ where: { id: { in: [...aliasDuplicates.keys(), ...aliasesToName.map((a) => a.id)] } } });
  for (const c of loser.credits.filter((c) => creditDuplicates.has(c.id))) {
    deleted.push(reviseMergedAway(w, 'Credit', c, scalars(c), encodeGlobalID('Credit', creditDuplicates.get(c.id)!)));
  }
  for (const a of loser.aliases.filter((a) => aliasDuplicates.has(a.id))) {
    deleted.push(reviseMergedAway(w, 'PersonAlias', a, ['name', 'personId'], encodeGlobalID('PersonAlias', aliasDuplicates.get(a.id)!)));
  }
  for (const a of aliasesToName) deleted.push(reviseMergedAway(w, 'PersonAlias', a, ['name', 'personId'], intoGid));

  const move = { where: { personId: loser.id }, data: { personId: into, version: { increment: 1 } } };
  await w.tx.credit.updateMany(move);
  await w.tx.personAlias.updateMany(move);
  moved.push(...reviseMoved(w, 'Credit', movedCredits, 'personId', loser.id, into), ...reviseMoved(w, 'PersonAlias', movedAliases, 'personId', loser.id, into));

  // The loser's own citations: those of its name back the alias its name becomes (or the
  // survivor's name, when the names are the same); the others move to the survivor.
  let nameAlias: number | null = null;
  if (loser.name !== survivor.name) {
    nameAlias = aliasIds.get(loser.name) ?? null;
    if (nameAlias === null) {
      const alias = await w.tx.personAlias.create({ data: { personId: into, name: loser.name }, select: { id: true } });
      nameAlias = alias.id;
      w.revise('PersonAlias', alias.id, 'MERGE', {
        before: null,
        after: { personId: into, name: loser.name, mergedFrom: encodeGlobalID('Person', loser.id) },
        fields: ['personId', 'name', 'mergedFrom'],
      });
      moved.push(encodeGlobalID('PersonAlias', alias.id));
    }
  }
  const nameCitations = nameAlias === null ? [] : loser.citations.filter((c) => c.field === 'name');
  if (nameCitations.length > 0) {
    await w.tx.citation.updateMany({
      where: { id: { in: nameCitations.map((c) => c.id) } },
      data: { personId: null, personAliasId: nameAlias, version: { increment: 1 } },
    });
    for (const c of nameCitations) {
      w.revise('Citation', c.id, 'MERGE', {
        before: { personId: loser.id, personAliasId: null, version: c.version },
        after: { personId: null, personAliasId: nameAlias, version: c.version + 1 },
        fields: ['personId', 'personAliasId'],
      });
    }
    moved.push(...nameCitations.map((c) => encodeGlobalID('Citation', c.id)));
  }
  const otherCitations = loser.citations.filter((c) => !nameCitations.includes(c));
  await w.tx.citation.updateMany({ where: { id: { in: otherCitations.map((c) => c.id) } }, data: { personId: into, version: { increment: 1 } } });
  moved.push(...reviseMoved(w, 'Citation', otherCitations, 'personId', loser.id, into));

  await redirect(w, 'Person', loser, into);
  await deleteVersioned(w, 'Person', loser.id, input.fromVersion, ['input', 'from']);
  deleted.unshift(reviseMergedAway(w, 'Person', loser, PERSON_FIELDS, intoGid));
  const gaps = fillGaps(survivor, loser, PERSON_GAPS);
  await updateVersioned(w, 'Person', into, input.intoVersion, gaps, ['input', 'into']);
  w.revise('Person', into, 'MERGE', {
    before: { ...survivor, mergedFrom: null },
    after: { ...survivor, ...gaps, mergedFrom: encodeGlobalID('Person', loser.id) },
    fields: [...PERSON_FIELDS, 'mergedFrom'],
  });

  for (const c of loser.credits) w.touched('Film', c.filmId);
  for (const s of new Set(sources)) w.touched('Source', s);
  return { into, deletedIds: deleted, movedIds: moved };
}
