/** Mutation inputs at the edge: zod parsing into INVALID user errors with paths, global ids, versions, notes, scopes of fact-setting mutations. */
import * as z from 'zod';
import { decodeGlobalID } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { UserErrorException, type UserError } from './write.ts';

/**
 * Mutation inputs are checked here, in the resolver, rather than by the validation plugin on the
 * input fields: a failure must become `userErrors` with the path of each bad value (the plugin
 * raises one GraphQL error instead), and global IDs are decoded by zod too, so a malformed or
 * foreign id is a user error (INVALID) like any other bad value.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, path: string[] = ['input']): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new UserErrorException(
    parsed.error.issues.map((issue): UserError => ({
      field: [...path, ...issue.path.map(String)],
      message: issue.message,
      code: 'INVALID',
    })),
  );
}

/** A global ID of `typename`, decoded to its database id. */
export function globalId(typename: string) {
  return z.string({ error: `must be a ${typename} ID` }).transform((value, ctx) => {
    try {
      const decoded = decodeGlobalID(value);
      if (decoded.typename === typename) return Number(decoded.id);
      ctx.addIssue({ code: 'custom', message: `is a ${decoded.typename} ID; a ${typename} ID is expected` });
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 100)}" is not a valid Cinegraph ID` });
    }
    return z.NEVER;
  });
}

/** `version` of an update or delete: the one the client read. */
export const versionSchema = z.number({ error: 'version must be an integer' }).int().min(1, 'version starts at 1');

/** `note` of a write: why the change is made (stored on the change set); with `admin` it lets facts go uncited. */
export const noteSchema = z.string().trim().min(1, 'note must not be empty').max(1_000, 'note is at most 1000 characters').nullish();

interface FactInput {
  note?: string | null | undefined;
  citations?: readonly unknown[] | null | undefined;
}

/**
 * authScopes of a mutation that sets facts (scope-auth, declared on the field): `write`, or
 * `admin` when it states a note instead of citing anything (an uncited fact, docs/writing.md#citations).
 */
export function factScopes(_root: unknown, args: { input: FactInput }) {
  return args.input.note != null && !args.input.citations?.length ? { admin: true } : { write: true };
}

/** Whether the caller may set facts without citations (admin, with a note). */
export const mayWriteUncited = (ctx: Pick<Context, 'identity'>, note: string | null | undefined) => ctx.identity.scopes.has('admin') && Boolean(note);

/** An http(s) URL (the URL scalar parses it), stored as its normalised text. */
export const httpUrl = z
  .instanceof(URL, { message: 'url must be a URL' })
  .refine((u) => u.protocol === 'http:' || u.protocol === 'https:', 'url must be an http or https URL')
  .transform((u) => u.href)
  .refine((u) => u.length <= 2_000, 'url is at most 2000 characters');

/** A calendar date (the Date scalar parses it) within the years films exist in. */
export const calendarDate = (field: string) =>
  z
    .date({ error: `${field} must be a date` })
    .refine((d) => d.getUTCFullYear() >= 1870 && d.getUTCFullYear() <= 2200, `${field} must be between 1870 and 2200`);

/** A URL key: lower-case words joined by hyphens. */
export const slugSchema = z
  .string()
  .max(100, 'slug is at most 100 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug is lower-case letters and digits in words joined by single hyphens');
