/**
 * A query answered by one SQL statement that builds the response's JSON in PostgreSQL, as
 * PostGraphile does, instead of by the resolvers: no Prisma query per root field, no resolver per
 * field, no result mapping. It covers what the schema's own metadata describes exactly:
 * - root fields that declare `extensions.sqlRoot` (a Prisma `where` for one row of a model);
 * - on Prisma object types, columns exposed as they are (`t.expose*`), node ids, `__typename`;
 * - relations and related connections (`t.relation`, `t.relatedConnection`): their Prisma query
 *   is taken from the field itself (the same `where`/`orderBy`/`take` the resolver would send,
 *   argument validation included) and translated (where.ts);
 * - fields that declare their own SQL (`extensions.sql`, e.g. `Credit.character`).
 * Anything else makes the request ineligible ({@link Unsupported}): it runs on the resolvers as
 * before, and a document found ineligible for its shape is not tried again. The statement is
 * built per request (its parameters and optional parts follow the variables) from a shape cached
 * per document; tests/plugins/compiled/sql.test.ts compares both paths' answers field by field.
 */
import { getMappedArgumentValues } from '@pothos/core';
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  visit,
  type ASTNode,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { getDatamodel } from '../../../generated/pothos-types.ts';
import { orderSql, Params, quote, whereSql, type Model, type ModelField } from './where.ts';

/** Why a request is left to the resolvers: its document's shape (never retried) or this request's values. */
export class Unsupported extends Error {
  constructor(
    readonly scope: 'document' | 'request',
    message: string,
  ) {
    super(message);
  }
}

/** What a root field declares to be answered in SQL: one row of `model` matching `where` (a Prisma filter). */
export interface SqlRoot {
  model: string;
  where: unknown;
}

/** `extensions.sqlRoot` of a Query field: its (mapped) arguments to the row it answers. */
export type SqlRootHook = (args: Record<string, unknown>) => SqlRoot;

/** A keyset list's page (pagination/list.ts keysetListPage): its rows' ids and cursors in order. */
export interface SqlListPage {
  rows: readonly { id: number; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
}

/**
 * `extensions.sqlList` of a Query field returning a connection of `model` rows paged by the
 * list's own statement: the rows' JSON is then built in one statement by id, and the connection
 * around them from the page. `fields` names the connection's own fields the page answers
 * (`totalCount`), beside edges, nodes and pageInfo.
 */
export interface SqlListRoot {
  model: string;
  fields: readonly 'totalCount'[];
  page: (args: Record<string, unknown>, context: never) => Promise<SqlListPage>;
}

/** `extensions.sql` of an object field: its value as a SQL expression over the parent row. */
export type SqlFieldHook = (sql: {
  /** The parent row's alias. */
  parent: string;
  /** A fresh table alias. */
  alias: () => string;
  /** The JSON object this field's selection makes of a row of `typeName` aliased `alias`. */
  object: (typeName: string, alias: string) => string;
}) => string;

const models = getDatamodel().datamodel.models;
const MAX_PAIRS = 50; // json_build_object takes at most 100 arguments
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

interface State {
  schema: GraphQLSchema;
  context: object;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  params: Params;
  aliases: number;
}

function include(state: State, node: { directives?: readonly DirectiveNode[] | undefined }): boolean {
  if (!node.directives?.length) return true;
  for (const directive of node.directives) {
    // @defer, @stream or any other directive changes how the answer is delivered: not here.
    if (directive.name.value !== 'skip' && directive.name.value !== 'include') throw new Unsupported('document', `@${directive.name.value}`);
  }
  const n = node as FieldNode;
  if (getDirectiveValues(GraphQLSkipDirective, n, state.variables)?.['if'] === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, n, state.variables)?.['if'] === false) return false;
  return true;
}

/** graphql-js' doesFragmentConditionMatch: the type itself, or an interface or union it belongs to. */
function conditionMatches(state: State, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = state.schema.getType(condition);
  return isAbstractType(conditionType) && state.schema.isSubType(conditionType, type);
}

/** The fields selected on `type` below `nodes`, by response key, in response order (graphql-js' collectFields). */
function collect(state: State, type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!include(state, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!conditionMatches(state, selection.typeCondition?.name.value, type)) continue;
        visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = state.fragments[name];
        if (!fragment) throw new Unsupported('document', `unknown fragment ${name}`);
        if (!conditionMatches(state, fragment.typeCondition.name.value, type)) continue;
        visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) if (set) visit(set);
  return fields;
}

const subSelections = (nodes: readonly FieldNode[]) => nodes.map((n) => n.selectionSet);

/** The field's arguments as its resolver would receive them: coerced, then through Pothos' argument mappers (validation, global IDs). */
function argumentsOf(state: State, parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Record<string, unknown> {
  if (field.args.length === 0) return {};
  const info = {
    fieldName: field.name,
    fieldNodes: nodes,
    returnType: field.type,
    parentType: parent,
    path: { prev: undefined, key: nodes[0]!.alias?.value ?? field.name, typename: parent.name },
    schema: state.schema,
    fragments: state.fragments,
    rootValue: undefined,
    operation: state.operation,
    variableValues: state.variables,
  } as unknown as GraphQLResolveInfo;
  let args: unknown;
  try {
    args = getMappedArgumentValues(field, nodes[0]!, state.context, info);
  } catch (error) {
    throw new Unsupported('request', `arguments of ${parent.name}.${field.name}: ${(error as Error).message}`);
  }
  if (args === null || typeof (args as { then?: unknown }).then === 'function') {
    throw new Unsupported('request', `arguments of ${parent.name}.${field.name} map asynchronously`);
  }
  return args as Record<string, unknown>;
}

function modelOf(type: GraphQLObjectType): Model {
  const name = type.extensions['pothosPrismaModel'];
  const model = typeof name === 'string' ? models[name] : undefined;
  if (!model) throw new Unsupported('document', `${type.name} is not a Prisma object`);
  return model;
}

function jsonObject(pairs: string[]): string {
  if (pairs.length > MAX_PAIRS * 2) throw new Unsupported('document', 'more than 50 fields in one selection');
  return `json_build_object(${pairs.join(', ')})`;
}

/** The Prisma column types each plain scalar may be read from as they are. */
const PLAIN_SCALARS: Record<string, readonly string[]> = {
  String: ['String'],
  Int: ['Int'],
  NonNegativeInt: ['Int'],
  Float: ['Float', 'Int'],
  Boolean: ['Boolean'],
  CountryCode: ['String'],
};

/**
 * A DateTime column as a UTC timestamp, whatever the session's time zone: Prisma reads a `date`
 * column as that day's UTC midnight and a `timestamptz` as its instant; the datamodel does not
 * say which a column is, so the statement asks PostgreSQL.
 */
const utc = (column: string) => `(CASE WHEN pg_typeof(${column}) = 'date'::regtype THEN ${column}::timestamp ELSE ${column} AT TIME ZONE 'UTC' END)`;

/** A column as the leaf type writes it. */
function leafSql(type: GraphQLOutputType, column: string, model: ModelField, where: string): string {
  if (isNonNullType(type) && !model.isRequired) throw new Unsupported('document', `${where}: non-null field over a nullable column`);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = getNamedType(nullable);
    if (!model.isList || !isScalarType(item) || !PLAIN_SCALARS[item.name]?.includes(model.type) || item.name === 'Float') {
      throw new Unsupported('document', `${where}: list of ${item.name}`);
    }
    return `to_json(${column})`;
  }
  if (model.isList) throw new Unsupported('document', `${where}: a list column as a single value`);
  if (isEnumType(nullable)) {
    if (model.kind !== 'enum' || !nullable.getValues().every((v) => v.value === v.name))
      throw new Unsupported('document', `${where}: enum ${nullable.name} maps its values`);
    return `${column}::text`;
  }
  if (!isScalarType(nullable)) throw new Unsupported('document', `${where}: not a leaf`);
  if (PLAIN_SCALARS[nullable.name]?.includes(model.type)) return column;
  // ID is written as a string whatever the column; graphql-scalars' Date writes YYYY-MM-DD of a
  // UTC date, DateTime writes Date#toJSON (UTC, milliseconds).
  if (nullable.name === 'ID' && (model.type === 'String' || model.type === 'Int')) return `${column}::text`;
  if (nullable.name === 'Date' && model.type === 'DateTime') return `to_char(${utc(column)}, 'YYYY-MM-DD')`;
  if (nullable.name === 'DateTime' && model.type === 'DateTime') return `to_char(${utc(column)}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  throw new Unsupported('document', `${where}: ${nullable.name} from a ${model.type} column`);
}

const isNodeType = (type: GraphQLObjectType) => type.getInterfaces().some((i) => i.name === 'Node');

/** The JSON object the selection `nodes` makes of the row `alias` of `type`. */
function objectSql(state: State, type: GraphQLObjectType, alias: string, sets: readonly (SelectionSetNode | undefined)[]): string {
  const model = modelOf(type);
  const pairs: string[] = [];
  for (const [key, nodes] of collect(state, type, sets)) {
    pairs.push(lit(key), fieldSql(state, type, model, alias, nodes));
  }
  return jsonObject(pairs);
}

function fieldSql(state: State, type: GraphQLObjectType, model: Model, alias: string, nodes: FieldNode[]): string {
  const name = nodes[0]!.name.value;
  if (name === '__typename') return lit(type.name);
  const field = type.getFields()[name];
  const where = `${type.name}.${name}`;
  if (!field) throw new Unsupported('document', `${where} is not a field`);
  const ext = field.extensions as Record<string, unknown>;
  if ((ext['pothosOptions'] as { authScopes?: unknown } | undefined)?.authScopes) throw new Unsupported('document', `${where} has its own scopes`);
  const declared = ext['sql'] as SqlFieldHook | undefined;
  if (declared) {
    return declared({
      parent: alias,
      alias: () => `t${++state.aliases}`,
      object: (typeName, child) => objectSql(state, state.schema.getType(typeName) as GraphQLObjectType, child, subSelections(nodes)),
    });
  }
  const exposed = ext['pothosExposedField'];
  if (typeof exposed === 'string') {
    const column = model.fields.find((f) => f.name === exposed);
    if (!column || column.kind === 'object') throw new Unsupported('document', `${where} exposes no column`);
    return leafSql(field.type, `${alias}.${quote(column.name)}`, column, where);
  }
  if (name === 'id' && isNodeType(type) && field.args.length === 0) {
    // Pothos' prismaNode id: the global ID "Type:<id>" in base64 (@pothos/plugin-relay
    // encodeGlobalID), of the one column the node selects for it (`select: { id: true }`).
    const idField = model.fields.find((f) => f.isId);
    const select = type.extensions['pothosPrismaSelect'] as Record<string, unknown> | undefined;
    if (!idField || idField.type !== 'Int' || !select || Object.keys(select).join() !== idField.name) {
      throw new Unsupported('document', `${where}: not the integer primary key`);
    }
    return `encode(convert_to(${lit(`${type.name}:`)} || ${alias}.${quote(idField.name)}, 'UTF8'), 'base64')`;
  }
  if (ext['pothosPrismaRelationField']) return relationSql(state, type, model, alias, field, nodes);
  throw new Unsupported('document', `${where} is resolved in code`);
}

interface RelationQuery {
  where?: unknown;
  orderBy?: unknown;
  take?: number;
}

/** The Prisma query a relation field's resolver would send for its rows: the field's own plan, asked with our nested selection. */
function relationQuery(state: State, type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: FieldNode[], selected: Set<string>): RelationQuery {
  const relation = field.extensions['pothosPrismaRelationField'] as { name: string };
  const select = field.extensions['pothosPrismaSelect'] as (
    args: unknown,
    ctx: unknown,
    nested: (query: unknown) => unknown,
    getSelection: () => Set<string>,
  ) => unknown;
  const args = argumentsOf(state, type, field, nodes);
  let planned: unknown;
  try {
    planned = select(
      args,
      state.context,
      (query) => (typeof query === 'function' ? (query as (a: unknown, c: unknown) => unknown)(args, state.context) : query),
      () => selected,
    );
  } catch (error) {
    throw new Unsupported('request', `${type.name}.${field.name}: ${(error as Error).message}`);
  }
  if (planned === null || typeof planned !== 'object' || typeof (planned as { then?: unknown }).then === 'function') {
    throw new Unsupported('request', `${type.name}.${field.name} plans asynchronously`);
  }
  const query = (planned as { select?: Record<string, unknown> }).select?.[relation.name] as Record<string, unknown> | undefined;
  if (!query) throw new Unsupported('document', `${type.name}.${field.name}: no relation query`);
  for (const key of Object.keys(query)) {
    if (query[key] === undefined) continue;
    if (key === 'cursor') throw new Unsupported('request', `${type.name}.${field.name} pages from a cursor`);
    // `select` is the plugin's cursor columns; the statement selects its own.
    if (!['where', 'orderBy', 'take', 'skip', 'select'].includes(key)) throw new Unsupported('document', `${type.name}.${field.name}: query has ${key}`);
  }
  const take = query['take'] as number | undefined;
  const skip = query['skip'] as number | undefined;
  if (take !== undefined && (!Number.isInteger(take) || take < 0)) throw new Unsupported('request', `${type.name}.${field.name} pages backwards`);
  if (skip !== undefined && skip !== 0) throw new Unsupported('request', `${type.name}.${field.name} skips rows`);
  return { where: query['where'], orderBy: query['orderBy'], ...(take === undefined ? {} : { take }) };
}

/** The join of a relation: the child row's condition on the parent row. */
function joinSql(
  parentModel: Model,
  parentAlias: string,
  childModel: string,
  childAlias: string,
  relation: { relationName?: string; relationFromFields?: string[] },
  where: string,
): string {
  const child = models[childModel];
  if (!child) throw new Unsupported('document', `${where}: unknown model ${childModel}`);
  const from = relation.relationFromFields ?? [];
  if (from.length === 1) {
    // The parent holds the key: the child's primary key equals it.
    const id = child.fields.find((f) => f.isId);
    if (!id) throw new Unsupported('document', `${where}: ${childModel} has no single primary key`);
    return `${childAlias}.${quote(id.name)} = ${parentAlias}.${quote(from[0]!)}`;
  }
  const back = child.fields.filter((f) => f.relationName === relation.relationName && (f.relationFromFields?.length ?? 0) > 0);
  const parentId = parentModel.fields.find((f) => f.isId);
  if (back.length !== 1 || back[0]!.relationFromFields!.length !== 1 || !parentId) throw new Unsupported('document', `${where}: composite relation`);
  return `${childAlias}.${quote(back[0]!.relationFromFields![0]!)} = ${parentAlias}.${quote(parentId.name)}`;
}

function relationSql(state: State, type: GraphQLObjectType, model: Model, alias: string, field: GraphQLField<unknown, unknown>, nodes: FieldNode[]): string {
  const where = `${type.name}.${field.name}`;
  const relation = field.extensions['pothosPrismaRelationField'] as {
    name: string;
    type: string;
    isList: boolean;
    relationName?: string;
    relationFromFields?: string[];
  };
  const child = models[relation.type]!;
  const named = getNamedType(field.type);
  if (!isObjectType(named)) throw new Unsupported('document', `${where}: abstract type`);
  const a = `t${++state.aliases}`;
  const joinOf = (childAlias: string) => joinSql(model, alias, relation.type, childAlias, relation, where);
  const join = joinOf(a);
  const from = `${quote(relation.type)} AS ${a}`;

  if (!relation.isList || !named.getFields()['edges']) {
    const selected = new Set([...collect(state, named, subSelections(nodes)).values()].map((n) => n[0]!.name.value));
    const query = relationQuery(state, type, field, nodes, selected);
    const filter = whereSql(child, a, query.where, state.params);
    if (filter === undefined) throw new Unsupported('request', `${where}: filter beyond SQL translation`);
    if (!relation.isList) {
      return `(SELECT ${objectSql(state, named, a, subSelections(nodes))} FROM ${from} WHERE ${join} AND ${filter} LIMIT 1)`;
    }
    const order = orderSql(child, a, query.orderBy, models);
    if (!order) throw new Unsupported('document', `${where}: a list without an order`);
    const limit = query.take === undefined ? '' : ` LIMIT ${query.take}`;
    return `(SELECT coalesce(json_agg(${objectSql(state, named, a, subSelections(nodes))} ORDER BY ${order}), '[]'::json) FROM (SELECT * FROM ${from} WHERE ${join} AND ${filter} ORDER BY ${order}${limit}) AS ${a})`;
  }
  return connectionSql(state, type, field, nodes, named, child, a, joinOf);
}

/** A related connection (edges/nodes/pageInfo/totalCount) of a page read forwards from its start. */
function connectionSql(
  state: State,
  parent: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  connection: GraphQLObjectType,
  child: Model,
  a: string,
  joinOf: (alias: string) => string,
): string {
  const where = `${parent.name}.${field.name}`;
  const table = quote((field.extensions['pothosPrismaRelationField'] as { type: string }).type);
  const parts = collect(state, connection, subSelections(nodes));
  const query = relationQuery(state, parent, field, nodes, new Set([...parts.values()].map((n) => n[0]!.name.value)));
  if (query.take === undefined || query.take < 1) throw new Unsupported('request', `${where}: no page size`);
  // The plugin asks for one row more than the page (take = size + 1), to know whether another follows.
  const filter = whereSql(child, a, query.where, state.params);
  const order = orderSql(child, a, query.orderBy, models);
  if (filter === undefined || order === undefined) throw new Unsupported('request', `${where}: beyond SQL translation`);
  if (!order) throw new Unsupported('document', `${where}: a connection without an order`);
  const n = `${a}."__n"`;
  const pairs: string[] = [];
  for (const [key, fieldNodes] of parts) {
    const name = fieldNodes[0]!.name.value;
    let value: string;
    if (name === '__typename') value = lit(connection.name);
    else if (name === 'totalCount' && connection.getFields()['totalCount']?.extensions['pothosPrismaTotalCount']) {
      const c = `t${++state.aliases}`;
      const countFilter = whereSql(child, c, query.where, state.params)!;
      // filterConnectionTotalCount: the count is of the rows the connection's filter keeps.
      value = `(SELECT count(*)::int FROM ${table} AS ${c} WHERE ${joinOf(c)} AND ${countFilter})`;
    } else if (name === 'nodes' || name === 'edges') {
      const nodeType = getNamedType(connection.getFields()[name]!.type);
      if (!isObjectType(nodeType)) throw new Unsupported('document', `${where}.${name}: abstract type`);
      let item: string;
      if (name === 'nodes') item = objectSql(state, nodeType, a, subSelections(fieldNodes));
      else {
        const edgePairs: string[] = [];
        for (const [edgeKey, edgeNodes] of collect(state, nodeType, subSelections(fieldNodes))) {
          const edgeField = edgeNodes[0]!.name.value;
          if (edgeField === '__typename') edgePairs.push(lit(edgeKey), lit(nodeType.name));
          else if (edgeField === 'node') {
            const node = getNamedType(nodeType.getFields()['node']!.type);
            if (!isObjectType(node)) throw new Unsupported('document', `${where}.edges.node: abstract type`);
            edgePairs.push(lit(edgeKey), objectSql(state, node, a, subSelections(edgeNodes)));
          } else throw new Unsupported('document', `${where}.edges.${edgeField}`);
        }
        item = jsonObject(edgePairs);
      }
      // The extra row is the page's last + 1; "NOT n = take" rather than "n <= size", and "count = take"
      // rather than "count > size" below, keep range operators out of the text, so the statement is
      // prepared and its plan kept (db/client.ts planSensitive) like the resolvers' lookups.
      value = `coalesce(json_agg(${item} ORDER BY ${n}) FILTER (WHERE NOT ${n} = ${query.take}), '[]'::json)`;
    } else if (name === 'pageInfo') {
      const info = getNamedType(connection.getFields()['pageInfo']!.type) as GraphQLObjectType;
      const infoPairs: string[] = [];
      for (const [infoKey, infoNodes] of collect(state, info, subSelections(fieldNodes))) {
        const infoField = infoNodes[0]!.name.value;
        if (infoField === '__typename') infoPairs.push(lit(infoKey), lit(info.name));
        else if (infoField === 'hasNextPage') infoPairs.push(lit(infoKey), `count(*) = ${query.take}`);
        else if (infoField === 'hasPreviousPage') infoPairs.push(lit(infoKey), 'false');
        else throw new Unsupported('document', `${where}.pageInfo.${infoField}`);
      }
      value = jsonObject(infoPairs);
    } else throw new Unsupported('document', `${where}.${name}`);
    pairs.push(lit(key), value);
  }
  return `(SELECT ${jsonObject(pairs)} FROM (SELECT *, row_number() OVER (ORDER BY ${order}) AS "__n" FROM ${table} AS ${a} WHERE ${joinOf(a)} AND ${filter} ORDER BY ${order} LIMIT ${query.take}) AS ${a})`;
}

/** A statement and what its answer needs. */
export interface CompiledStatement {
  sql: string;
  params: unknown[];
  /** Response keys of nullable root fields: their null must be confirmed by the resolvers (a merged-away slug follows its redirect). */
  nullable: string[];
  /** A list root: its page comes first, its ids are the statement's $1, and the answer is assembled around the rows. */
  list?: {
    page: () => Promise<SqlListPage>;
    assemble: (page: SqlListPage, rows: unknown[][]) => Promise<Record<string, unknown>>;
  };
}

/** A root field's row filter: its SQL and its parameters, which come first in the statement. */
interface RootFilter {
  sql: string;
  params: unknown[];
}

/** A list root's "filter": its ids, always the statement's $1, whatever the arguments. */
const LIST_ROOT: RootFilter = { sql: '$1::int[]', params: [null] };

/** What a document's statements share, per document (see `statementFor`). */
interface DocumentStatements {
  /** A number naming the document in `statements`' keys. */
  id: number;
  /** Variables used only in the arguments of the (single) root field: they change the parameters, not the text. */
  rootOnly: Set<string> | undefined;
}

interface CachedStatement {
  statement: CompiledStatement;
  rootFilter: RootFilter;
}

const documents = new WeakMap<OperationDefinitionNode, DocumentStatements>();
let documentIds = 0;
/**
 * Statements by document and the values of the variables that shape them, least recently used
 * evicted past 4 MB of SQL text: documents turn hot by repetition and each variable shape is a
 * new text, so a client varying both must not grow this without bound.
 */
const statements = new LRUCache<string, CachedStatement>({
  maxSize: 4 * 1024 * 1024,
  sizeCalculation: (entry, key) => entry.statement.sql.length + key.length + 200,
});

function variablesIn(nodes: readonly (ASTNode | undefined)[], into: Set<string>): Set<string> {
  for (const node of nodes) if (node) visit(node, { Variable: (variable) => void into.add(variable.name.value) });
  return into;
}

/**
 * The variables of a one-root-field operation that appear only in that field's arguments (not
 * in its directives, its selection, or fragments); undefined for other operations.
 */
function rootOnlyVariables(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): Set<string> | undefined {
  const roots = operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
  if (roots.length !== 1 || roots[0]!.kind !== Kind.FIELD) return undefined;
  const root = roots[0]!;
  const inArgs = variablesIn(root.arguments ?? [], new Set());
  const elsewhere = variablesIn([...(root.directives ?? []), root.selectionSet, ...Object.values(fragments), ...(operation.directives ?? [])], new Set());
  return new Set([...inArgs].filter((name) => !elsewhere.has(name)));
}

/** The root field's filter and the statement around it; `touched` tells whether any code read the request's context. */
function compile(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  context: object,
): { statement: CompiledStatement; rootFilter: RootFilter | undefined; touched: boolean } {
  if (operation.operation !== 'query') throw new Unsupported('document', 'not a query');
  const query = schema.getQueryType()!;
  // A field's Prisma query may depend on its arguments; one that reads the context (who asks)
  // would make the text depend on it, so such a statement is not reused.
  let touched = false;
  const watched = new Proxy(context, {
    get(target, property, receiver) {
      touched = true;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const state: State = { schema, context: watched, variables, fragments, operation, params: new Params(), aliases: 0 };
  const roots = collect(state, query, [operation.selectionSet]);
  const list = [...roots.values()].find((nodes) => query.getFields()[nodes[0]!.name.value]?.extensions['sqlList']);
  if (list) return { statement: listStatement(state, context, query, roots, list), rootFilter: LIST_ROOT, touched };
  const pairs: string[] = [];
  const nullable: string[] = [];
  let rootFilter: RootFilter | undefined;
  let count = 0;
  for (const [key, nodes] of roots) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      pairs.push(lit(key), lit(query.name));
      continue;
    }
    const field = query.getFields()[name];
    const hook = field?.extensions['sqlRoot'] as SqlRootHook | undefined;
    if (!field || !hook) throw new Unsupported('document', `Query.${name} has no SQL`);
    const type = getNamedType(field.type);
    if (!isObjectType(type)) throw new Unsupported('document', `Query.${name}: abstract type`);
    const a = `t${++state.aliases}`;
    const start = state.params.values.length;
    const root = rootRow(state, query, field, nodes, hook, a);
    rootFilter = count++ === 0 ? { sql: root.filter, params: state.params.values.slice(start) } : undefined;
    pairs.push(lit(key), `(SELECT ${objectSql(state, type, a, subSelections(nodes))} FROM ${quote(root.model)} AS ${a} WHERE ${root.filter} LIMIT 1)`);
    if (!isNonNullType(field.type)) nullable.push(key);
  }
  return {
    statement: { sql: `SELECT ${jsonObject(pairs)}::text AS data`, params: state.params.values, nullable },
    rootFilter: count === 1 ? rootFilter : undefined,
    touched,
  };
}

/** The model and SQL filter of the row a root field names, from its hook. */
function rootRow(state: State, query: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: FieldNode[], hook: SqlRootHook, alias: string) {
  let root: SqlRoot;
  try {
    root = hook(argumentsOf(state, query, field, nodes));
  } catch (error) {
    if (error instanceof Unsupported) throw error;
    throw new Unsupported('request', `Query.${field.name}: ${(error as Error).message}`);
  }
  const model = models[root.model];
  if (!model) throw new Unsupported('document', `Query.${field.name}: unknown model ${root.model}`);
  if (modelOf(getNamedType(field.type) as GraphQLObjectType) !== model) throw new Unsupported('document', `Query.${field.name}: another model than its type's`);
  const filter = whereSql(model, alias, root.where, state.params);
  if (filter === undefined) throw new Unsupported('request', `Query.${field.name}: filter beyond SQL translation`);
  return { model: root.model, filter };
}

/**
 * The statement answering `operation` with these (coerced) variables; throws {@link Unsupported}.
 * Building it walks the selection and asks every relation field for its Prisma query, which
 * costs about as much CPU as the database spends answering it, so the text is kept per document
 * and per values of the variables that shape it: for a one-root-field document, the variables
 * used only in the root field's arguments (a film's slug) just change the root filter's
 * parameters, so a request differing only in them rebuilds the root filter alone and reuses the
 * rest when that filter's text is the same.
 */
export function statementFor(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  context: object,
): CompiledStatement {
  let shared = documents.get(operation);
  if (!shared) {
    shared = { id: ++documentIds, rootOnly: rootOnlyVariables(operation, fragments) };
    documents.set(operation, shared);
  }
  const { rootOnly } = shared;
  if (!rootOnly) return compile(schema, operation, fragments, variables, context).statement;
  const key = `${shared.id} ${JSON.stringify(
    Object.keys(variables)
      .sort()
      .filter((name) => !rootOnly.has(name))
      .map((name) => [name, variables[name]]),
  )}`;
  const cached = statements.get(key);
  if (cached) {
    const query = schema.getQueryType()!;
    const state: State = { schema, context, variables, fragments, operation, params: new Params(), aliases: 0 };
    const nodes = [...collect(state, query, [operation.selectionSet]).values()].find((n) => n[0]!.name.value !== '__typename');
    const field = nodes && query.getFields()[nodes[0]!.name.value];
    if (cached.rootFilter === LIST_ROOT && cached.statement.list && nodes) {
      return { ...cached.statement, list: { ...cached.statement.list, page: listPage(state, context, query, nodes) } };
    }
    const hook = field?.extensions['sqlRoot'] as SqlRootHook | undefined;
    const root = nodes && field && hook ? rootRow(state, query, field, nodes, hook, 't1') : undefined;
    if (root?.filter === cached.rootFilter.sql) {
      const { statement } = cached;
      return { ...statement, params: [...state.params.values, ...statement.params.slice(cached.rootFilter.params.length)] };
    }
  }
  const { statement, rootFilter, touched } = compile(schema, operation, fragments, variables, context);
  if (rootFilter && !touched) {
    statements.set(key, { statement, rootFilter });
  }
  return statement;
}

/** The page of a list root for this request's arguments, loaded when the execution asks. */
function listPage(state: State, context: object, query: GraphQLObjectType, nodes: FieldNode[]): () => Promise<SqlListPage> {
  const field = query.getFields()[nodes[0]!.name.value]!;
  const hook = field.extensions['sqlList'] as SqlListRoot;
  // Arguments are mapped with the request's own context: the page is per request, never cached.
  const args = argumentsOf({ ...state, context }, query, field, nodes);
  return () => hook.page(args, context as never);
}

type EdgePart = { key: string; value: string } | { key: string; cursor: true } | { key: string; node: number };
type PageInfoPart = { key: string; value?: string; flag?: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor' };
type Part =
  | { key: string; value: string }
  | { key: string; totalCount: true }
  | { key: string; nodes: number }
  | { key: string; edges: EdgePart[] }
  | { key: string; pageInfo: PageInfoPart[] };

/**
 * A list root's statement: the JSON of each row of the page (one array per row: its id, then one
 * object per node selection — `nodes`, each `edges.node` alias), in page order; and how the
 * connection around them is assembled from the page (cursors, pageInfo, totalCount).
 */
function listStatement(state: State, context: object, query: GraphQLObjectType, roots: Map<string, FieldNode[]>, nodes: FieldNode[]): CompiledStatement {
  const others = [...roots.values()].filter((n) => n !== nodes && n[0]!.name.value !== '__typename');
  if (others.length) throw new Unsupported('document', 'a list beside other root fields');
  const field = query.getFields()[nodes[0]!.name.value]!;
  const hook = field.extensions['sqlList'] as SqlListRoot;
  const connection = getNamedType(field.type);
  const model = models[hook.model];
  if (!isObjectType(connection) || !model) throw new Unsupported('document', `Query.${field.name}: not a connection of a model`);
  const ids = state.params.add(null, 'int[]');
  const a = `t${++state.aliases}`;
  const slots: string[] = [];
  const slot = (type: GraphQLOutputType, sets: readonly (SelectionSetNode | undefined)[]) => {
    const named = getNamedType(type);
    if (!isObjectType(named) || modelOf(named) !== model) throw new Unsupported('document', `Query.${field.name}: nodes of another model`);
    return slots.push(objectSql(state, named, a, sets));
  };
  const parts: Part[] = [];
  for (const [key, fieldNodes] of collect(state, connection, subSelections(nodes))) {
    const name = fieldNodes[0]!.name.value;
    const child = connection.getFields()[name];
    if (name === '__typename') parts.push({ key, value: connection.name });
    else if (name === 'nodes' && child) parts.push({ key, nodes: slot(child.type, subSelections(fieldNodes)) });
    else if (name === 'totalCount' && hook.fields.includes('totalCount')) parts.push({ key, totalCount: true });
    else if (name === 'edges' && child) {
      const edge = getNamedType(child.type) as GraphQLObjectType;
      const edges: EdgePart[] = [];
      for (const [edgeKey, edgeNodes] of collect(state, edge, subSelections(fieldNodes))) {
        const edgeField = edgeNodes[0]!.name.value;
        if (edgeField === '__typename') edges.push({ key: edgeKey, value: edge.name });
        else if (edgeField === 'cursor') edges.push({ key: edgeKey, cursor: true });
        else if (edgeField === 'node') edges.push({ key: edgeKey, node: slot(edge.getFields()['node']!.type, subSelections(edgeNodes)) });
        else throw new Unsupported('document', `Query.${field.name}.edges.${edgeField}`);
      }
      parts.push({ key, edges });
    } else if (name === 'pageInfo' && child) {
      const info = getNamedType(child.type) as GraphQLObjectType;
      const flags: PageInfoPart[] = [];
      for (const [infoKey, infoNodes] of collect(state, info, subSelections(fieldNodes))) {
        const infoField = infoNodes[0]!.name.value;
        if (infoField === '__typename') flags.push({ key: infoKey, value: info.name });
        else if (['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'].includes(infoField))
          flags.push({ key: infoKey, flag: infoField as 'hasNextPage' });
        else throw new Unsupported('document', `Query.${field.name}.pageInfo.${infoField}`);
      }
      parts.push({ key, pageInfo: flags });
    } else throw new Unsupported('document', `Query.${field.name}.${name} is resolved in code`);
  }
  if (slots.length > 99) throw new Unsupported('document', 'more than 99 node selections');
  const rowJson = `json_build_array(${[`${a}."id"`, ...slots].join(', ')})`;
  const sql = `SELECT coalesce(json_agg(${rowJson} ORDER BY k.ord), '[]'::json)::text AS data FROM unnest(${ids}) WITH ORDINALITY AS k(id, ord) JOIN ${quote(hook.model)} AS ${a} ON ${a}."id" = k.id`;
  const rootKeys = [...roots.keys()];
  const listKey = rootKeys.find((k) => roots.get(k) === nodes)!;
  const assemble = async (page: SqlListPage, rows: unknown[][]) => {
    // As resolveKeysetList: a row deleted between the page and its load is left out of the page.
    const byId = new Map(rows.map((row) => [row[0] as number, row]));
    const edges = page.rows.filter((r) => byId.has(r.id)).map((r) => ({ cursor: r.cursor, row: byId.get(r.id)! }));
    const result: Record<string, unknown> = {};
    for (const part of parts) {
      if ('value' in part) result[part.key] = part.value;
      else if ('totalCount' in part) result[part.key] = await page.totalCount();
      else if ('nodes' in part) result[part.key] = edges.map((e) => e.row[part.nodes]);
      else if ('edges' in part) {
        result[part.key] = edges.map((e) => {
          const out: Record<string, unknown> = {};
          for (const p of part.edges) out[p.key] = 'value' in p ? p.value : 'cursor' in p ? e.cursor : e.row[p.node];
          return out;
        });
      } else {
        const flags = {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        };
        const out: Record<string, unknown> = {};
        for (const p of part.pageInfo) out[p.key] = p.value ?? flags[p.flag!];
        result[part.key] = out;
      }
    }
    return Object.fromEntries(rootKeys.map((k) => [k, k === listKey ? result : query.name]));
  };
  return { sql, params: state.params.values, nullable: [], list: { page: listPage(state, context, query, nodes), assemble } };
}
