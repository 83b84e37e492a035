import {
  getNamedType,
  getOperationAST,
  isAbstractType,
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
import { isPaged, isSizedList, ownCost, type AnyField } from './model.ts';

type Fragments = Record<string, FragmentDefinitionNode>;

/**
 * Fields of a selection by response key, through fragments (type conditions are settled by the
 * data). Each named fragment is visited once per call, as graphql-js' collectFields does: a
 * second spread adds the same FieldNodes again, so skipping it changes nothing, and following
 * every spread made this exponential in fragments that spread the previous one twice.
 */
function collect(selectionSets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = fields.get(key);
        if (nodes) nodes.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visited.has(selection.name.value) && fragments[selection.name.value]) {
        visited.add(selection.name.value);
        visit(fragments[selection.name.value]!.selectionSet);
      }
    }
  };
  for (const set of selectionSets) visit(set);
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
 * Linear in (document × response): each group of fields is collected once per document, and the
 * response is walked once.
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
      // Undefined, not only absent: graphql-jit leaves a field that @skip/@include dropped as an
      // undefined property, which the response's JSON leaves out as well.
      if (value[key] === undefined) continue;
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
    if (value === null || typeof value !== 'object') return own;
    const leaf = isLeafType(getNamedType(field.type));
    if (Array.isArray(value)) {
      const items = leaf ? 0 : itemsCost(field, nodes, value);
      // A list costs at least its length, as in the estimate.
      return own + (isSizedList(field) ? Math.max(value.length, items) : items);
    }
    if (leaf) return own;
    const object = value as Record<string, unknown>;
    if (!isPaged(field)) return own + objectCost(getNamedType(field.type), nodes, object);
    // A connection: the page is its longest list; its other fields (pageInfo, totalCount) count once per page item, as in the estimate.
    const type = getNamedType(field.type);
    let pageItems = 0;
    let perItem = 0;
    let lists = 0;
    for (const [key, childNodes] of fieldsBelow(nodes)) {
      const child = fieldDef(schema, type, childNodes[0]!.name.value, object);
      if (!child || object[key] === undefined) continue;
      const childValue = object[key];
      if (Array.isArray(childValue)) {
        pageItems = Math.max(pageItems, childValue.length);
        lists += childValue.length * ownCost(child) + itemsCost(child, childNodes, childValue);
      } else {
        perItem += fieldValueCost(child, childNodes, childValue);
      }
    }
    return own + Math.max(pageItems, pageItems * perItem + lists);
  }

  const root = schema.getRootType(operation.operation);
  return root ? objectCost(root, operation, data as Record<string, unknown>) : 0;
}
