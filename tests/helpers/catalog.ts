import type { SqlSession } from '../../src/db/sql.ts';
import { getDatamodel } from '../../src/generated/pothos-types.ts';
import { HAND_WRITTEN_INDEXES } from './hand-written.ts';
import { parsePrismaSchema, type SchemaField, type SchemaModel } from './prisma-schema.ts';

/**
 * One shape for "what the database has" (readCatalog, from pg_catalog/information_schema)
 * and "what schema.prisma says it should have" (expectedCatalog, what `prisma migrate dev`
 * would create), so the drift test can compare them piece by piece with readable diffs.
 */

export interface Column {
  name: string;
  /** udt name plus length/precision: 'int4', 'bpchar(2)', 'timestamptz(3)', '_text', 'Department'. */
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface ForeignKey {
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

export interface Catalog {
  tables: Record<string, TableShape>;
  enums: Record<string, string[]>;
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** pg_constraint's one-letter referential actions, spelled as Prisma spells them. */
const ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

export async function readCatalog(session: SqlSession, schema = 'public'): Promise<Catalog> {
  const tables: Record<string, TableShape> = {};
  const tableRows = await session.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  for (const { name } of tableRows) tables[name] = { columns: [], indexes: [], foreignKeys: [] };

  const columns = await session.query<{
    table: string;
    name: string;
    udt: string;
    nullable: string;
    length: number | null;
    precision: number | null;
    default: string | null;
    dataType: string;
  }>(
    `SELECT table_name::text AS table, column_name::text AS name, udt_name::text AS udt, data_type::text AS "dataType",
            is_nullable::text AS nullable, character_maximum_length AS length, datetime_precision AS precision,
            column_default::text AS default
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY ordinal_position`,
    [schema],
  );
  for (const c of columns) {
    let type = c.udt;
    if (c.length !== null) type += `(${c.length})`;
    else if (/^timestamp/.test(c.dataType) || /^time /.test(c.dataType)) type += `(${c.precision})`;
    tables[c.table]?.columns.push({ name: c.name, type, nullable: c.nullable === 'YES', default: c.default });
  }

  const indexes = await session.query<Index & { table: string }>(
    `SELECT t.relname::text AS table, i.relname::text AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1`,
    [schema],
  );
  for (const { table, ...index } of indexes) tables[table]?.indexes.push(index);

  const keys = await session.query<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referencedColumns: string[];
    del: string;
    upd: string;
  }>(
    `SELECT t.relname::text AS table, c.conname::text AS name, r.relname::text AS references,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS "referencedColumns",
            c.confdeltype::text AS del, c.confupdtype::text AS upd
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND n.nspname = $1`,
    [schema],
  );
  for (const k of keys) {
    tables[k.table]?.foreignKeys.push({
      name: k.name,
      columns: k.columns,
      references: k.references,
      referencedColumns: k.referencedColumns,
      onDelete: ACTIONS[k.del] ?? k.del,
      onUpdate: ACTIONS[k.upd] ?? k.upd,
    });
  }

  const enumRows = await session.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname`,
    [schema],
  );
  for (const shape of Object.values(tables)) {
    // Column order is not drift (a later migration appends), so compare by name.
    shape.columns.sort(byName);
    shape.indexes.sort(byName);
    shape.foreignKeys.sort(byName);
  }
  return { tables, enums: Object.fromEntries(enumRows.map((e) => [e.name, e.labels])) };
}

/** Check constraints (hand-written in the migration), as `Table.constraint` names. */
export async function readCheckConstraints(session: SqlSession, schema = 'public'): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT t.relname || '.' || c.conname AS name FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'c' AND n.nspname = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

// ——— expected, from the DMMF plus schema.prisma's text ———

/** Prisma's PostgreSQL column type for a scalar, as readCatalog spells it. */
function columnType(field: SchemaField, kind: string): string {
  const base = kind === 'enum' ? field.type : nativeOrDefault(field);
  return field.list ? `_${base}` : base;
}

function nativeOrDefault(field: SchemaField): string {
  const native = field.nativeType;
  const key = native ? `${field.type} @db.${native.name}` : field.type;
  const arg = native?.args[0];
  switch (key) {
    case 'Int':
      return 'int4';
    case 'Int @db.SmallInt':
      return 'int2';
    case 'String':
      return 'text';
    case 'String @db.Char':
      return `bpchar(${arg})`;
    case 'Float':
      return 'float8';
    case 'BigInt':
      return 'int8';
    case 'Boolean':
      return 'bool';
    case 'Json':
      return 'jsonb';
    case 'DateTime':
      return 'timestamp(3)';
    case 'DateTime @db.Timestamptz':
      return `timestamptz(${arg ?? 6})`;
    case 'DateTime @db.Date':
      return 'date';
    default:
      throw new Error(`No expected column type for ${key} (${field.name}); extend tests/helpers/catalog.ts`);
  }
}

/** How PostgreSQL prints the default Prisma's migration gives a column. */
function columnDefault(model: string, field: SchemaField, type: string): string | null {
  const d = field.default;
  if (d === null) return null;
  if (d === 'autoincrement()') return `nextval('"${model}_${field.name}_seq"'::regclass)`;
  if (d === 'now()') return 'CURRENT_TIMESTAMP';
  // PostgreSQL prints the element type by its SQL name: int4[] as integer[].
  if (d === '[]') return `ARRAY[]::${({ int4: 'integer' } as Record<string, string>)[type.slice(1)] ?? type.slice(1)}[]`;
  if (d === 'true' || d === 'false') return d;
  if (/^-?\d+$/.test(d)) return d;
  const literal = /^"(.*)"$/.exec(d);
  if (literal && type === 'text') return `'${literal[1]!.replaceAll("'", "''")}'::text`;
  // An enum value: the label cast to the enum type (its name quoted when it has capitals).
  if (/^[A-Z][A-Z0-9_]*$/.test(d) && /^[A-Za-z]\w*$/.test(type)) return `'${d}'::${type === type.toLowerCase() ? type : `"${type}"`}`;
  throw new Error(`No expected default for @default(${d}) on ${model}.${field.name}; extend tests/helpers/catalog.ts`);
}

export function expectedCatalog(): Catalog {
  const parsed = parsePrismaSchema();
  const dmmf = getDatamodel().datamodel.models;
  const tables: Record<string, TableShape> = {};

  for (const [modelName, model] of Object.entries(dmmf)) {
    const text: SchemaModel | undefined = parsed.models.get(modelName);
    if (!text) throw new Error(`Model ${modelName} is in the DMMF but not found in schema.prisma's text`);
    const field = (name: string) => {
      const f = text.fields.find((x) => x.name === name);
      if (!f) throw new Error(`Field ${modelName}.${name} not found in schema.prisma's text`);
      return f;
    };
    const shape: TableShape = { columns: [], indexes: [], foreignKeys: [] };

    for (const f of model.fields) {
      if (f.kind === 'object') {
        const from = f.relationFromFields ?? [];
        if (from.length === 0) continue;
        const relation = field(f.name).relation!;
        shape.foreignKeys.push({
          name: `${modelName}_${from.join('_')}_fkey`,
          columns: [...from],
          references: f.type,
          referencedColumns: relation.references,
          // Prisma's defaults when onDelete is omitted: Restrict for required, SetNull for optional.
          onDelete: relation.onDelete ?? (f.isRequired ? 'Restrict' : 'SetNull'),
          // Prisma's default when onUpdate is omitted.
          onUpdate: relation.onUpdate ?? 'Cascade',
        });
        continue;
      }
      const t = field(f.name);
      const type = columnType(t, f.kind);
      // Prisma creates scalar-list columns without NOT NULL (a list cannot be optional in Prisma).
      shape.columns.push({ name: f.name, type, nullable: f.isList ? true : !f.isRequired, default: columnDefault(modelName, t, type) });
      if (f.isUnique) shape.indexes.push({ name: `${modelName}_${f.name}_key`, columns: [f.name], unique: true, primary: false });
    }

    const pk = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
    shape.indexes.push({ name: `${modelName}_pkey`, columns: [...pk], unique: true, primary: true });
    for (const u of model.uniqueIndexes) {
      shape.indexes.push({ name: `${modelName}_${u.fields.join('_')}_key`, columns: [...u.fields], unique: true, primary: false });
    }
    for (const fields of text.indexes) {
      shape.indexes.push({ name: `${modelName}_${fields.join('_')}_idx`, columns: fields, unique: false, primary: false });
    }
    // Expression indexes name no plain column, so readCatalog lists none for them; the drift
    // test checks their full definitions (directions, NULLS placement) against the allow-list separately.
    for (const index of HAND_WRITTEN_INDEXES.filter((i) => i.table === modelName)) {
      shape.indexes.push({ name: index.name, columns: index.columns ?? [], unique: false, primary: false });
    }
    shape.columns.sort(byName);
    shape.indexes.sort(byName);
    shape.foreignKeys.sort(byName);
    tables[modelName] = shape;
  }
  return { tables, enums: Object.fromEntries(parsed.enums) };
}

/** pg_get_indexdef() of every index whose name is given, keyed by name. */
export async function readIndexDefinitions(session: SqlSession, names: string[], schema = 'public'): Promise<Record<string, string>> {
  const rows = await session.query<{ name: string; definition: string }>(
    `SELECT i.relname::text AS name, pg_get_indexdef(i.oid) AS definition
       FROM pg_class i JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE n.nspname = $1 AND i.relkind = 'i' AND i.relname = ANY($2::text[])`,
    [schema, names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

/** Installed extensions and this schema's own functions (not those extensions bring). */
export async function readExtensionsAndFunctions(session: SqlSession, schema = 'public') {
  const extensions = await session.query<{ name: string }>(`SELECT extname::text AS name FROM pg_extension ORDER BY 1`);
  const functions = await session.query<{ signature: string; volatility: string }>(
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
            CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END AS volatility
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY 1`,
    [schema],
  );
  return { extensions: extensions.map((e) => e.name), functions };
}

/** pg_get_triggerdef() of every trigger on the schema's tables that PostgreSQL did not create itself (as for foreign keys), keyed by name. */
export async function readTriggers(session: SqlSession, schema = 'public'): Promise<Record<string, string>> {
  const rows = await session.query<{ name: string; definition: string }>(
    `SELECT t.tgname::text AS name, pg_get_triggerdef(t.oid) AS definition
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal
      ORDER BY 1`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}
