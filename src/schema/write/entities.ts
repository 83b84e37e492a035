/** The editable types: versioned updates and deletes (optimistic concurrency), and the revert hooks each type registers. */
import type { Json } from './diff.ts';
import type { Writer } from './run.ts';

/**
 * The editable types (GraphQL typename → Prisma model): each has `version` (optimistic
 * concurrency) and is a `ChangeEntityType` of the change feed. A type's mutations live in its
 * domain module, which registers the type's revert hooks here (registerEditable).
 */
export const EDITABLE_TYPES = {
  Film: 'film',
  Person: 'person',
  PersonAlias: 'personAlias',
  Credit: 'credit',
  Publication: 'publication',
  Critic: 'critic',
  Review: 'review',
  ReviewQuote: 'reviewQuote',
  Release: 'release',
  Source: 'source',
  Citation: 'citation',
  Rating: 'rating',
  FilmTitle: 'filmTitle',
  Company: 'company',
  FilmCompany: 'filmCompany',
  FilmMoney: 'filmMoney',
  Conflict: 'conflict',
} as const;

export type EditableType = keyof typeof EDITABLE_TYPES;

/** What revertRevision needs to undo a revision of one type; registered by the type's mutations module. */
export interface EditableEntity {
  typename: EditableType;
  /** The fields its revisions diff. */
  facts: readonly string[];
  /**
   * The facts a citation may back (addCitation); by default `facts` without `slug` (a URL key,
   * never cited). Types whose diffs hold derived or positional fields name their cited ones here.
   */
  cited?: readonly string[];
  /**
   * Set `values` (the `before` side of a revision's diff, as JSON) on the record, under the
   * version check, appending a REVERT revision with `revertOfId`. Uncited: the values were cited
   * when first set, and those citations are kept.
   */
  restore(w: Writer, id: number, version: number, values: Record<string, Json>, revertOfId: number): Promise<void>;
  /** Delete the record (the revert of its CREATE) under the version check, as its delete mutation would. */
  remove(w: Writer, id: number, version: number, revertOfId: number): Promise<void>;
}

const registry = new Map<string, EditableEntity>();

export function registerEditable(entity: EditableEntity): void {
  registry.set(entity.typename, entity);
}

export function editableEntity(typename: string): EditableEntity | undefined {
  return registry.get(typename);
}

/** Prisma's delegates share these shapes for every versioned model; typed once here. */
interface VersionedDelegate {
  updateMany(args: { where: { id: number; version: number }; data: Record<string, unknown> }): Promise<{ count: number }>;
  deleteMany(args: { where: { id: number; version: number } }): Promise<{ count: number }>;
  findUnique(args: { where: { id: number }; select: { version: true } }): Promise<{ version: number } | null>;
}

const delegate = (w: Writer, type: EditableType) => w.tx[EDITABLE_TYPES[type]] as unknown as VersionedDelegate;

/**
 * The version check on a record already read: NOT_FOUND when it is gone, CONFLICT (with the
 * current version) when the client's `version` is not the current one.
 */
export function checkVersion<R extends { version: number }>(w: Writer, type: EditableType, row: R | null, version: number, path = ['input']): R {
  if (!row) w.fail('NOT_FOUND', `No ${type} with that id.`, [...path, 'id']);
  if (row.version !== version) {
    w.fail('CONFLICT', `${type} is at version ${row.version}, not ${version}: it changed since you read it. Read it again and retry.`, [...path, 'version'], {
      currentVersion: row.version,
    });
  }
  return row;
}

/**
 * Write `data` to the record only if it is still at `version`, bumping it: the atomic half of
 * optimistic concurrency (a write that committed between the read and this statement makes it
 * match no row). CONFLICT or NOT_FOUND otherwise.
 */
export async function updateVersioned(
  w: Writer,
  type: EditableType,
  id: number,
  version: number,
  data: Record<string, unknown>,
  path = ['input'],
): Promise<void> {
  const { count } = await delegate(w, type).updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) checkVersion(w, type, await delegate(w, type).findUnique({ where: { id }, select: { version: true } }), version, path);
}

/** Delete the record only if it is still at `version`; CONFLICT or NOT_FOUND otherwise. */
export async function deleteVersioned(w: Writer, type: EditableType, id: number, version: number, path = ['input']): Promise<void> {
  const { count } = await delegate(w, type).deleteMany({ where: { id, version } });
  if (count === 0) checkVersion(w, type, await delegate(w, type).findUnique({ where: { id }, select: { version: true } }), version, path);
}
