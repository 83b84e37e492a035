import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { isPaged, ownCost, type AnyField } from '../cost-model.ts';
import { ErrorCode } from '../errors.ts';
import { requestState } from './request-state.ts';

/** Requested cost of the operation that will run (the largest, when no operation name picks one). */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | null | undefined,
  context: object,
): number | undefined {
  let cost: number | undefined;
  const rule = createComplexityRule({
    context,
    variableValues,
    operationName: operationName ?? null,
    onResult: (result) => {
      cost = Math.max(cost ?? 0, result.complexity);
    },
  });
  // Invalid variables: execution reports them (BAD_USER_INPUT) before any resolver runs.
  validate(schema, document, [rule]);
  return cost;
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
 * Cost recomputed from the response: the same formula with every multiplier replaced by the
 * number of items actually returned there. Equals the requested cost when every page and list is
 * full and no nullable field is null; unpaginated lists longer than LIST_SIZE_ESTIMATE make it larger.
 */
export function actualCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, data: unknown): number {
  const operation = getOperationAST(document, operationName);
  if (!operation || !data || typeof data !== 'object') return 0;
  const fragments: Fragments = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;

  const objectCost = (type: GraphQLNamedType, sets: readonly SelectionSetNode[], value: Record<string, unknown>): number => {
    let total = 0;
    for (const [key, nodes] of collect(sets, fragments)) {
      if (!(key in value)) continue;
      const field = fieldDef(schema, type, nodes[0]!.name.value, value);
      if (field) total += fieldValueCost(field, nodes, value[key]);
    }
    return total;
  };
  const childSets = (nodes: FieldNode[]) => nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  const itemsCost = (field: AnyField, nodes: FieldNode[], items: unknown[]): number =>
    items.reduce<number>((sum, item) => sum + (item && typeof item === 'object' ? objectCost(getNamedType(field.type), childSets(nodes), item as Record<string, unknown>) : 0), 0);

  function fieldValueCost(field: AnyField, nodes: FieldNode[], value: unknown): number {
    const own = ownCost(field);
    if (value === null || typeof value !== 'object' || isLeafType(getNamedType(field.type))) return own;
    if (Array.isArray(value)) return own + itemsCost(field, nodes, value);
    const object = value as Record<string, unknown>;
    if (!isPaged(field)) return own + objectCost(getNamedType(field.type), childSets(nodes), object);
    // A connection: the page is its longest list; its other fields (pageInfo, totalCount) count once per page item, as in the estimate.
    const type = getNamedType(field.type);
    let pageItems = 0;
    let perItem = 0;
    let lists = 0;
    for (const [key, children] of collect(childSets(nodes), fragments)) {
      const child = fieldDef(schema, type, children[0]!.name.value, object);
      if (!child || !(key in object)) continue;
      const childValue = object[key];
      if (Array.isArray(childValue)) {
        pageItems = Math.max(pageItems, childValue.length);
        lists += childValue.length * ownCost(child) + itemsCost(child, children, childValue);
      } else {
        perItem += fieldValueCost(child, children, childValue);
      }
    }
    return own + pageItems * perItem + lists;
  }

  const root = schema.getRootType(operation.operation);
  return root ? objectCost(root, [operation.selectionSet], data as Record<string, unknown>) : 0;
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
