/**
 * Write: the framework every mutation uses (docs/writing.md). Payloads are Shopify-style: the
 * changed object plus `userErrors`; one transaction per mutation; every fact cited; versions for
 * optimistic concurrency; revisions appended in commit order; cache invalidation after commit.
 * Siblings: run.ts (runWrite, the Writer) · input.ts (zod at the edge → userErrors, ids,
 * scopes of fact-setting mutations) · cite.ts (CitationInput, excerpts located server-side) ·
 * diff.ts (field-level diffs) · entities.ts (editable types: version, revisions, revert hooks) ·
 * revision.ts (Revision, ChangeSet, FieldChange, `revisions` connections) · changes.ts (the
 * `changes` feed) · revert.ts (revertRevision) · idempotency.ts (Idempotency-Key) · sql.ts (feed lock).
 */
import type { ObjectFieldBuilder } from '@pothos/core';
import * as z from 'zod';
import { builder } from '../../builder.ts';
import { UserErrorCode } from '../../errors.ts';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused its input; stable, for clients to switch on (docs/writing.md#user-errors).',
  values: Object.fromEntries(Object.entries(UserErrorCode).map(([code, description]) => [code, { description }])) as Record<
    UserErrorCode,
    { description: string }
  >,
});

/** One expected failure of a mutation. */
export interface UserError {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
  currentVersion?: number | null;
}

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: "Something wrong with a mutation's input or with the state it meets. Nothing was written (one transaction per mutation).",
  fields: (t) => ({
    field: t.stringList({
      nullable: true,
      description: 'Path to the input value at fault, e.g. ["input", "citations", "0", "excerpt"]; null when no single value is.',
      resolve: (e) => e.field,
    }),
    message: t.exposeString('message', { description: 'What is wrong and how to fix it, for developers (not localised).' }),
    code: t.field({ type: UserErrorCodeEnum, description: 'Stable code.', resolve: (e) => e.code }),
    currentVersion: t.int({
      nullable: true,
      description: 'With CONFLICT: the current `version` of the record, to re-read and retry with.',
      resolve: (e) => e.currentVersion ?? null,
    }),
  }),
});

/** Thrown inside a write (by `w.fail`, input parsing…) to roll it back and answer with `userErrors`. */
export class UserErrorException extends Error {
  override name = 'UserErrorException';
  readonly errors: UserError[];

  constructor(errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }
}

/** Every payload's shape: what the mutation returns for its fields to resolve from. */
export type Payload<T extends object = object> = Partial<T> & { userErrors: UserError[] };

/** The `userErrors` field of a payload type. */
export const userErrorsField = <T extends Payload>(t: ObjectFieldBuilder<BuilderTypes, T>) =>
  t.field({
    type: [UserErrorRef],
    description: 'Why the mutation did nothing; empty when it succeeded.',
    resolve: (payload) => payload.userErrors,
  });

/** The builder's schema types, for helpers that take a field builder (`t`). */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** A required string of bounded length, with messages naming the field. */
export function userText(field: string, min: number, max: number) {
  return z
    .string({ error: `${field} must be a string` })
    .min(min, `${field} must not be empty`)
    .max(max, `${field} is at most ${max} characters`);
}

/**
 * A payload's entity, read after the commit with the client's whole selection (one statement);
 * null when the write failed. The spread in that case marks the planned query as used: skipping
 * it is deliberate (the Prisma plugin's onUnusedQuery check would flag it otherwise).
 */
export function loadEntity<Q extends object, R>(
  query: Q,
  id: number | null | undefined,
  load: (args: Q & { where: { id: number } }) => Promise<R>,
): Promise<R> | null {
  if (id == null) {
    void { ...query };
    return null;
  }
  return load({ ...query, where: { id } });
}

/** The payload type of a delete: the global ids of every record it removed (`what` lists them), and userErrors. */
export const deletedPayload = (name: string, description: string, what: string) =>
  builder.objectRef<Payload<{ deletedIds: string[] }>>(name).implement({
    description,
    fields: (t) => ({
      deletedIds: t.idList({ description: `Global IDs of every record deleted: ${what}.`, resolve: (payload) => payload.deletedIds ?? [] }),
      userErrors: userErrorsField(t),
    }),
  });
