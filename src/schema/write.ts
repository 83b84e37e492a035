import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { Context } from '../context.ts';

/**
 * The pattern every mutation follows so cached reads never outlive a write: record each
 * entity the mutation changed (including ones whose lists it changed, e.g. a Source that gained
 * a citation). The response-cache plugin invalidates them when the operation completes, on
 * memory and on Redis, whatever the client selected in the mutation's result.
 */
export function recordWrite(ctx: Context, typename: string, id: number): void {
  ctx.written.push({ typename, id: encodeGlobalID(typename, id) });
}

/** A required string of bounded length, with messages naming the field. */
export function userText(field: string, min: number, max: number) {
  return z
    .string({ error: `${field} must be a string` })
    .min(min, `${field} must not be empty`)
    .max(max, `${field} is at most ${max} characters`);
}
