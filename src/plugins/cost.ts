import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isLeafType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { isPaged, LIST_SIZE_ESTIMATE, ownCost, type AnyField } from '../cost-model.ts';
import { ErrorCode } from '../errors.ts';
import { requestState } from './request-state.ts';

type FieldComplexityOption = FieldComplexityValue | ((args: Record<string, unknown>, ctx: unknown, field: AnyField) => FieldComplexityValue);

/**
 * Requested cost of the operation that will run, by the fields' complexity (set by the Pothos
 * complexity plugin: the builder's fieldComplexity, or a field's own `complexity` option).
 * The walk is ours rather than the plugin's createComplexityRule because the plugin maps
 * arguments through Pothos' validators first: one invalid argument anywhere (an over-long
 * `first`, a malformed id) made it throw, leaving the rest of the operation unpriced. Here
 * arguments are read raw (as the client sent them, after variable coercion), so every
 * operation gets a price; the invalid argument still fails at its field during execution.
 */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | null | undefined,
  context: unknown,
): number | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues);
  // Invalid variables: execution refuses them (BAD_USER_INPUT) before any resolver runs.
  if (coerced.errors) return undefined;
  return priced(document, operation, coerced.coerced, (variables) => price(schema, document, operation, root, variables, context));
}

/**
 * Prices by operation (yoga reuses one DocumentNode per distinct query), keyed by the values of
 * the variables the pricing read. The walk reads a variable only where a field's complexity
 * reads that argument (`first`, `last`, `ids` in the cost model), so the film detail with 20,000
 * different slugs is priced once per page size. Which variables a walk reads depends on the
 * document alone, so it is recorded on the first walk. Complexity functions must depend on
 * arguments only, as the builder's does (cost-model.ts); the context is passed for the type.
 */
interface PriceList {
  reads: string[];
  prices: Map<string, number>;
}
const priceLists = new WeakMap<DocumentNode, Map<OperationDefinitionNode, PriceList>>();
const PRICES_PER_OPERATION = 1_000;

/** The values of the variables read; an absent variable ([]) differs from an explicit null ([null]). */
const priceKey = (names: string[], variables: Record<string, unknown>) =>
  JSON.stringify(names.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : [])));

function priced(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  walk: (variables: Record<string, unknown>) => number,
): number {
  let lists = priceLists.get(document);
  if (!lists) priceLists.set(document, (lists = new Map()));
  const list = lists.get(operation);
  if (list) {
    const key = priceKey(list.reads, variables);
    let cost = list.prices.get(key);
    if (cost === undefined) {
      cost = walk(variables);
      if (list.prices.size >= PRICES_PER_OPERATION) list.prices.clear();
      list.prices.set(key, cost);
    }
    return cost;
  }
  const reads = new Set<string>();
  const recorder = new Proxy(variables, {
    get: (target, name, receiver) => (typeof name === 'string' && reads.add(name), Reflect.get(target, name, receiver)),
    has: (target, name) => (typeof name === 'string' && reads.add(name), Reflect.has(target, name)),
    getOwnPropertyDescriptor: (target, name) => (typeof name === 'string' && reads.add(name), Reflect.getOwnPropertyDescriptor(target, name)),
  });
  const cost = walk(recorder);
  const names = [...reads].sort();
  lists.set(operation, { reads: names, prices: new Map([[priceKey(names, variables), cost]]) });
  return cost;
}

function price(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: GraphQLNamedType,
  variables: Record<string, unknown>,
  context: unknown,
): number {
  const fragments: Fragments = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const cache = new Map<SelectionSetNode, Map<GraphQLNamedType, number>>();

  const selectionCost = (set: SelectionSetNode, type: GraphQLNamedType): number => {
    const cached = cache.get(set)?.get(type);
    if (cached !== undefined) return cached;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, type);
      else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        total += selectionCost(fragment.selectionSet, condition ?? type);
      }
    }
    if (!cache.has(set)) cache.set(set, new Map());
    cache.get(set)!.set(type, total);
    return total;
  };
  const fieldCost = (node: FieldNode, parent: GraphQLNamedType): number => {
    if (node.name.value === '__typename') return 0;
    const field = isObjectType(parent) || isInterfaceType(parent) ? (parent.getFields()[node.name.value] as AnyField | undefined) : undefined;
    // Introspection (__schema, __type) costs 1: no database behind it, bounded by the other limits.
    if (!field) return 1;
    const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    let option = (field.extensions as { complexity?: FieldComplexityOption }).complexity;
    if (typeof option === 'function') option = option(getArgumentValues(field, node, variables), context, field);
    const own = typeof option === 'number' ? option : (option?.field ?? 1);
    const multiplier = (typeof option === 'object' ? option.multiplier : undefined) ?? (list ? LIST_SIZE_ESTIMATE : 1);
    return own + (node.selectionSet ? Math.max(multiplier, 0) * selectionCost(node.selectionSet, getNamedType(field.type)) : 0);
  };
  return selectionCost(operation.selectionSet, root);
}

type Fragments = Record<string, FragmentDefinitionNode>;

/** Fields of a selection by response key, through fragments (type conditions are settled by the data). */
function collect(selectionSets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value) && fragments[selection.name.value]) {
        visit(fragments[selection.name.value]!.selectionSet, new Set(seen).add(selection.name.value));
      }
    }
  };
  for (const set of selectionSets) visit(set, new Set());
  return fields;
}

function fieldDef(schema: GraphQLSchema, type: GraphQLNamedType, name: string, value: Record<string, unknown>): AnyField | undefined {
  if (isObjectType(type)) return type.getFields()[name] as AnyField | undefined;
  if (!isAbstractType(type)) return undefined;
  const typename = value['__typename'];
  const candidates = schema.getPossibleTypes(type).filter((t) => typename === undefined || t.name === typename);
  return candidates.map((t) => t.getFields()[name] as AnyField | undefined).find(Boolean);
}

/**
 * Per parsed document (yoga reuses one DocumentNode per distinct query): its fragments, and the
 * fields below each selection by response key. The same selections are met once per returned
 * item and again on every request with that query, so they are collected once.
 */
interface DocumentShape {
  fragments: Fragments;
  children: WeakMap<object, Map<string, FieldNode[]>>;
}
const shapes = new WeakMap<DocumentNode, DocumentShape>();

function documentShape(document: DocumentNode): DocumentShape {
  let shape = shapes.get(document);
  if (!shape) {
    const fragments: Fragments = {};
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    shape = { fragments, children: new WeakMap() };
    shapes.set(document, shape);
  }
  return shape;
}

/**
 * Cost recomputed from the response: the same formula with every multiplier replaced by the
 * number of items actually returned there. Equals the requested cost when every page and list is
 * full and no nullable field is null; unpaginated lists longer than LIST_SIZE_ESTIMATE make it larger.
 */
export function actualCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, data: unknown): number {
  const operation = getOperationAST(document, operationName);
  if (!operation || !data || typeof data !== 'object') return 0;
  const { fragments, children } = documentShape(document);
  /** The fields selected below `nodes` (the operation for the root), collected once per document. */
  const fieldsBelow = (nodes: readonly FieldNode[] | OperationDefinitionNode): Map<string, FieldNode[]> => {
    let fields = children.get(nodes);
    if (!fields) {
      const sets = 'kind' in nodes ? [nodes.selectionSet] : nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      fields = collect(sets, fragments);
      children.set(nodes, fields);
    }
    return fields;
  };

  const objectCost = (type: GraphQLNamedType, parent: readonly FieldNode[] | OperationDefinitionNode, value: Record<string, unknown>): number => {
    let total = 0;
    for (const [key, nodes] of fieldsBelow(parent)) {
      if (!(key in value)) continue;
      const field = fieldDef(schema, type, nodes[0]!.name.value, value);
      if (field) total += fieldValueCost(field, nodes, value[key]);
    }
    return total;
  };
  const itemsCost = (field: AnyField, nodes: FieldNode[], items: unknown[]): number => {
    const type = getNamedType(field.type);
    let sum = 0;
    for (const item of items) if (item && typeof item === 'object') sum += objectCost(type, nodes, item as Record<string, unknown>);
    return sum;
  };

  function fieldValueCost(field: AnyField, nodes: FieldNode[], value: unknown): number {
    const own = ownCost(field);
    if (value === null || typeof value !== 'object' || isLeafType(getNamedType(field.type))) return own;
    if (Array.isArray(value)) return own + itemsCost(field, nodes, value);
    const object = value as Record<string, unknown>;
    if (!isPaged(field)) return own + objectCost(getNamedType(field.type), nodes, object);
    // A connection: the page is its longest list; its other fields (pageInfo, totalCount) count once per page item, as in the estimate.
    const type = getNamedType(field.type);
    let pageItems = 0;
    let perItem = 0;
    let lists = 0;
    for (const [key, childNodes] of fieldsBelow(nodes)) {
      const child = fieldDef(schema, type, childNodes[0]!.name.value, object);
      if (!child || !(key in object)) continue;
      const childValue = object[key];
      if (Array.isArray(childValue)) {
        pageItems = Math.max(pageItems, childValue.length);
        lists += childValue.length * ownCost(child) + itemsCost(child, childNodes, childValue);
      } else {
        perItem += fieldValueCost(child, childNodes, childValue);
      }
    }
    return own + pageItems * perItem + lists;
  }

  const root = schema.getRootType(operation.operation);
  return root ? objectCost(root, operation, data as Record<string, unknown>) : 0;
}

function costError(requested: number, limit: number) {
  return createGraphQLError(
    `The operation's estimated cost ${requested} exceeds the limit of ${limit}. Ask for smaller pages (first/last) or fewer nested lists.`,
    { extensions: { code: ErrorCode.COST_LIMIT_EXCEEDED, cost: { requested, limit }, http: { status: 400, spec: true } } },
  );
}

/**
 * Prices each operation before it runs and refuses it above `maxCost`; after it runs, records
 * the actual cost. Every GraphQL response carries `extensions.cost { requested, actual?, limit }`
 * (requested 0 when the request failed before it could be priced).
 */
export function useCost({ maxCost }: { maxCost: number }): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request ? requestState(request) : undefined;
      const requested =
        requestedCost(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>, args.operationName, args.contextValue as object) ?? 0;
      if (state) state.cost = { requested, limit: maxCost };
      if (requested > maxCost) {
        setResultAndStopExecution({ errors: [costError(requested, maxCost)] });
        return;
      }
      return {
        onExecuteDone({ result }) {
          if (!state?.cost || isAsyncIterable(result)) return;
          state.cost.actual = actualCost(args.schema, args.document, args.operationName, result.data);
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const cost = requestState(request).cost ?? { requested: 0, limit: maxCost };
      setResult({ ...result, extensions: { ...result.extensions, cost } });
    },
  };
}
