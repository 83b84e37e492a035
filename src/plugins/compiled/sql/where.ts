/**
 * Prisma's `where` and `orderBy` arguments as SQL, for the part of their language the schema's
 * relations and root fields use: scalar equality and comparisons, `in`/`notIn`, `has` on arrays,
 * null tests, `AND`/`OR`/`NOT`, and ordering by columns with `nulls` placement. Anything else
 * (relation filters, `mode: 'insensitive'`, full-text search, ordering by a relation) answers
 * `undefined`: the caller then leaves the whole request to the resolvers, which send the argument
 * to Prisma itself. Values are bound as parameters, never spliced into the text.
 */
import type { PothosPrismaDatamodel } from '@pothos/plugin-prisma';

export type Model = PothosPrismaDatamodel['datamodel']['models'][string];
export type ModelField = Model['fields'][number];

/** Positional parameters of one statement ($1, $2, …), each cast to its column's type. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

// PostgreSQL types of the Prisma scalar types a filter may compare; others are refused.
const SCALAR_CASTS: Record<string, string> = { Int: 'int', String: 'text', Boolean: 'boolean', Float: 'float8' };

/** The SQL type to cast a parameter compared with this column to, or undefined when unsupported. */
export function columnCast(field: ModelField): string | undefined {
  if (field.kind === 'enum') return quote(field.type);
  if (field.kind === 'scalar') return SCALAR_CASTS[field.type];
  return undefined;
}

const COMPARISONS: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function scalarValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** One column's condition: `{ col: value }` or `{ col: { equals, not, in, notIn, lt, …, has } }`. */
function fieldCondition(field: ModelField, column: string, condition: unknown, params: Params): string | undefined {
  const cast = columnCast(field);
  if (!cast) return undefined;
  if (field.isList) {
    // Arrays: only `has` (the element is in the array), as Prisma's scalar-list filter.
    if (!isPlainObject(condition)) return undefined;
    const parts: string[] = [];
    for (const [op, value] of Object.entries(condition)) {
      if (value === undefined) continue;
      if (op !== 'has' || !scalarValue(value)) return undefined;
      parts.push(`${params.add(value, cast)} = ANY(${column})`);
    }
    return parts.length ? parts.join(' AND ') : 'TRUE';
  }
  if (condition === null) return `${column} IS NULL`;
  if (scalarValue(condition)) return `${column} = ${params.add(condition, cast)}`;
  if (!isPlainObject(condition)) return undefined;
  const parts: string[] = [];
  for (const [op, value] of Object.entries(condition)) {
    if (value === undefined) continue;
    if (op === 'equals') {
      if (value === null) parts.push(`${column} IS NULL`);
      else if (scalarValue(value)) parts.push(`${column} = ${params.add(value, cast)}`);
      else return undefined;
    } else if (op === 'not') {
      if (value === null) parts.push(`${column} IS NOT NULL`);
      // On a required column only: whether Prisma's `not: v` keeps NULLs is its own business.
      else if (scalarValue(value) && field.isRequired) parts.push(`${column} <> ${params.add(value, cast)}`);
      else return undefined;
    } else if (op === 'in' || op === 'notIn') {
      if (!Array.isArray(value) || !value.every(scalarValue)) return undefined;
      const list = params.add(value, `${cast}[]`);
      parts.push(op === 'in' ? `${column} = ANY(${list})` : `NOT (${column} = ANY(${list}))`);
    } else if (COMPARISONS[op]) {
      if (!scalarValue(value)) return undefined;
      parts.push(`${column} ${COMPARISONS[op]} ${params.add(value, cast)}`);
    } else {
      return undefined;
    }
  }
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/** `where` over `alias` (a row of `model`) as a SQL condition, or undefined when it is beyond this translation. */
export function whereSql(model: Model, alias: string, where: unknown, params: Params): string | undefined {
  if (where === undefined || where === null) return 'TRUE';
  if (!isPlainObject(where)) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      const items = Array.isArray(value) ? value : [value];
      const translated = items.map((item) => whereSql(model, alias, item, params));
      if (translated.some((t) => t === undefined)) return undefined;
      const list = translated as string[];
      // Prisma: an empty AND holds, an empty OR does not, an empty NOT holds.
      if (key === 'AND') parts.push(list.length ? list.map((t) => `(${t})`).join(' AND ') : 'TRUE');
      else if (key === 'OR') parts.push(list.length ? `(${list.map((t) => `(${t})`).join(' OR ')})` : 'FALSE');
      else parts.push(list.length ? `NOT (${list.map((t) => `(${t})`).join(' OR ')})` : 'TRUE');
      continue;
    }
    const field = model.fields.find((f) => f.name === key);
    if (!field || field.kind === 'object') return undefined;
    const condition = fieldCondition(field, `${alias}.${quote(field.name)}`, value, params);
    if (condition === undefined) return undefined;
    parts.push(condition);
  }
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/** `orderBy` (one term or a list) over `alias`, e.g. `a."year" DESC, a."id"`; undefined when beyond this translation. */
export function orderSql(model: Model, alias: string, orderBy: unknown, models?: Record<string, Model>): string | undefined {
  if (orderBy === undefined || orderBy === null) return '';
  const terms = Array.isArray(orderBy) ? orderBy : [orderBy];
  const parts: string[] = [];
  for (const term of terms) {
    const part = orderTerm(model, `${alias}`, term, models, 0);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return parts.join(', ');
}

/**
 * One term; a term over a to-one relation (`{ film: { year: 'desc' } }`) orders by the related
 * row's column, read by a subquery on the foreign key (Prisma joins it; the order is the same).
 */
function orderTerm(model: Model, expr: string, term: unknown, models: Record<string, Model> | undefined, depth: number): string | undefined {
  if (!isPlainObject(term)) return undefined;
  const entries = Object.entries(term).filter(([, v]) => v !== undefined);
  if (entries.length !== 1) return undefined;
  const [name, spec] = entries[0]!;
  const field = model.fields.find((f) => f.name === name);
  if (!field || field.isList) return undefined;
  if (field.kind === 'object') {
    const target = models?.[field.type];
    const key = field.relationFromFields ?? [];
    const id = target?.fields.find((f) => f.isId);
    if (!target || key.length !== 1 || !id || depth > 2 || !isPlainObject(spec)) return undefined;
    const related = `o${depth}`;
    const inner = orderTerm(target, `${related}`, spec, models, depth + 1);
    if (inner === undefined) return undefined;
    // inner is "<related>.<col> DIR [NULLS …]": the column goes in the subquery, the direction after it.
    const match = /^(.*?) (ASC|DESC)( NULLS (?:FIRST|LAST))?$/.exec(inner);
    if (!match) return undefined;
    return `(SELECT ${match[1]} FROM ${quote(field.type)} AS ${related} WHERE ${related}.${quote(id.name)} = ${expr}.${quote(key[0]!)}) ${match[2]}${match[3] ?? ''}`;
  }
  const column = `${expr}.${quote(field.name)}`;
  if (spec === 'asc' || spec === 'desc') return `${column} ${spec.toUpperCase()}`;
  if (isPlainObject(spec) && (spec['sort'] === 'asc' || spec['sort'] === 'desc')) {
    const nulls = spec['nulls'];
    if (nulls !== undefined && nulls !== 'first' && nulls !== 'last') return undefined;
    if (Object.keys(spec).some((k) => k !== 'sort' && k !== 'nulls')) return undefined;
    return `${column} ${spec['sort'].toUpperCase()}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ''}`;
  }
  return undefined;
}
