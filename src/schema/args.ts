import { userInputError } from '../errors.ts';

/** `film(id:, slug:)`-style lookups take exactly one key. */
export function exactlyOne<K extends string>(args: Partial<Record<K, unknown>>, keys: readonly K[], field: string): K {
  const given = keys.filter((k) => args[k] !== undefined && args[k] !== null);
  if (given.length !== 1) {
    throw userInputError(`\`${field}\` takes exactly one of: ${keys.join(', ')} (got ${given.length}).`);
  }
  return given[0]!;
}

/** Database ids in global IDs are decoded as strings; they are validated integers. */
export function dbId(id: string | number): number {
  return typeof id === 'number' ? id : Number.parseInt(id, 10);
}
