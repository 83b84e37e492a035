import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The parts of prisma/schema.prisma that the generated DMMF (getDatamodel) leaves out —
 * native types (@db.*), @@index, @default expressions, relation `references` and `onDelete` —
 * read from the schema text. Deliberately small: it understands the constructs this project
 * uses and throws on anything it does not, so a new construct fails the drift test loudly
 * instead of being skipped.
 */

export interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  /** e.g. { name: 'SmallInt', args: [] } or { name: 'Char', args: ['2'] } */
  nativeType: { name: string; args: string[] } | null;
  /** The raw expression inside @default(…), e.g. 'autoincrement()', '""', '[]'. */
  default: string | null;
  relation: { fields: string[]; references: string[]; onDelete: string | null; onUpdate: string | null } | null;
}

export interface SchemaModel {
  name: string;
  fields: SchemaField[];
  /** @@index([...]) field lists, in declaration order. */
  indexes: string[][];
  uniques: string[][];
  id: string[] | null;
}

export interface PrismaSchema {
  models: Map<string, SchemaModel>;
  enums: Map<string, string[]>;
  /** The datasource's `extensions = [...]` (postgresqlExtensions preview feature). */
  extensions: string[];
}

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

/** Drop `//` comments (including `///` docs) outside string literals. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** Text between the parentheses that open at `open`, honouring nesting and strings. */
function balanced(text: string, open: number): string {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`Unbalanced parentheses in schema.prisma: ${text}`);
}

function attributeArgs(attrs: string, name: string): string | null {
  const at = attrs.search(new RegExp(`${name.replace('.', '\\.')}\\(`));
  return at < 0 ? null : balanced(attrs, attrs.indexOf('(', at));
}

function fieldList(args: string, key?: string): string[] {
  const match = key ? new RegExp(`${key}:\\s*\\[([^\\]]*)\\]`).exec(args) : /^\s*\[([^\]]*)\]/.exec(args);
  if (!match) throw new Error(`Expected a field list${key ? ` for ${key}` : ''} in (${args})`);
  return match[1]!
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => {
      if (!/^\w+$/.test(f)) throw new Error(`Unsupported field reference "${f}" in schema.prisma`);
      return f;
    });
}

function parseField(line: string): SchemaField {
  const match = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
  if (!match) throw new Error(`Cannot parse schema.prisma field line: ${line}`);
  const [, name, type, list, optional, attrs = ''] = match;
  const native = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attrs);
  const relationArgs = attributeArgs(attrs, '@relation');
  const relation =
    relationArgs && /fields:/.test(relationArgs)
      ? {
          fields: fieldList(relationArgs, 'fields'),
          references: fieldList(relationArgs, 'references'),
          onDelete: /onDelete:\s*(\w+)/.exec(relationArgs)?.[1] ?? null,
          onUpdate: /onUpdate:\s*(\w+)/.exec(relationArgs)?.[1] ?? null,
        }
      : null;
  if (/@map\(|@@map\(|map:/.test(attrs)) throw new Error(`@map is not supported by this parser: ${line}`);
  return {
    name: name!,
    type: type!,
    list: Boolean(list),
    optional: Boolean(optional),
    nativeType: native ? { name: native[1]!, args: native[2] ? native[2].split(',').map((a) => a.trim()) : [] } : null,
    default: attributeArgs(attrs, '@default'),
    relation,
  };
}

export function parsePrismaSchema(text = readFileSync(SCHEMA_PATH, 'utf8')): PrismaSchema {
  const models = new Map<string, SchemaModel>();
  const enums = new Map<string, string[]>();
  const lines = text.split('\n').map((l) => stripComment(l).trim());
  let extensions: string[] = [];
  for (const line of lines) {
    const declared = /^extensions\s*=\s*\[(.*)\]$/.exec(line);
    if (!declared) continue;
    extensions = declared[1]!
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    for (const e of extensions) {
      if (!/^\w+$/.test(e)) throw new Error(`Unsupported extension declaration "${e}" in schema.prisma`);
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const head = /^(model|enum)\s+(\w+)\s*\{$/.exec(lines[i]!);
    if (!head) continue;
    const body: string[] = [];
    for (i++; lines[i] !== '}'; i++) {
      if (i >= lines.length) throw new Error(`Unterminated block ${head[2]} in schema.prisma`);
      if (lines[i]) body.push(lines[i]!);
    }
    if (head[1] === 'enum') {
      enums.set(head[2]!, body);
      continue;
    }
    const model: SchemaModel = { name: head[2]!, fields: [], indexes: [], uniques: [], id: null };
    for (const line of body) {
      const block = /^@@(\w+)\((.*)\)$/.exec(line);
      if (!block) {
        model.fields.push(parseField(line));
        continue;
      }
      const [, kind, args] = block;
      if (/map:|name:/.test(args!)) throw new Error(`Named indexes are not supported by this parser: ${line}`);
      if (kind === 'index') model.indexes.push(fieldList(args!));
      else if (kind === 'unique') model.uniques.push(fieldList(args!));
      else if (kind === 'id') model.id = fieldList(args!);
      else throw new Error(`Unsupported block attribute in schema.prisma: ${line}`);
    }
    models.set(model.name, model);
  }
  return { models, enums, extensions };
}
