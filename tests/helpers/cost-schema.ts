import {
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
} from 'graphql';
import { createFieldComplexity, type AnyField } from '../../src/plugins/cost/model.ts';

// A small hand-built schema for the cost walks (tests/plugins/cost/): fields whose complexity
// reads arguments the model does not price (the API's own fields never do), fields without a
// complexity, fixed and odd complexities, a connection, and an interface with two types whose
// \`children\` differ (objects on Item, strings on Tag).

type Complexity = (args: Record<string, unknown>) => unknown;
/** How often each complexity function ran: a price served from a cache does not run it. */
export const calls = new Map<string, number>();
const model = createFieldComplexity();
/** A complexity of this schema's own, and the model's, counting their calls in `calls`. */
const counted = (name: string, complexity: Complexity) => (args: Record<string, unknown>) => {
  calls.set(name, (calls.get(name) ?? 0) + 1);
  return complexity(args);
};
const countedModel = (name: string) => (args: Record<string, unknown>, ctx: unknown, field: AnyField) => {
  calls.set(name, (calls.get(name) ?? 0) + 1);
  return model(args, ctx, field);
};
const modelled = { complexity: model };

const Node: GraphQLInterfaceType = new GraphQLInterfaceType({ name: 'Node', fields: { id: { type: GraphQLID, extensions: modelled } } });
const Item: GraphQLObjectType = new GraphQLObjectType({
  name: 'Item',
  interfaces: [Node],
  fields: () => ({
    id: { type: GraphQLID, extensions: modelled },
    name: { type: GraphQLString, extensions: modelled },
    children: { type: new GraphQLList(Item), extensions: modelled },
  }),
});
// Another Node whose `children` is a list of scalars: which type an abstract value is decides its cost.
const Tag = new GraphQLObjectType({
  name: 'Tag',
  interfaces: [Node],
  fields: { id: { type: GraphQLID, extensions: modelled }, children: { type: new GraphQLList(GraphQLString), extensions: modelled } },
});
const inConnection = { pothosConfig: { parentType: 'ItemConnection' }, complexity: model };
const ItemConnection = new GraphQLObjectType({
  name: 'ItemConnection',
  fields: {
    nodes: { type: new GraphQLList(Item), extensions: inConnection },
    totalCount: { type: GraphQLInt, extensions: inConnection },
    // An object counted once per page item (the API's connections have none yet), and a list of scalars, which costs only its length.
    summary: { type: Item, extensions: inConnection },
    names: { type: new GraphQLList(GraphQLString), extensions: inConnection },
  },
});

const field = (
  type: GraphQLFieldConfig<unknown, unknown>['type'],
  extensions: Record<string, unknown>,
  args: GraphQLFieldConfig<unknown, unknown>['args'] = {},
) => ({
  type,
  args,
  extensions,
});
const Query = new GraphQLObjectType({
  name: 'Query',
  fields: {
    // Resolved (the others resolve to null): an item with two children, for the plugin's actual cost.
    item: { ...field(Item, { complexity: countedModel('item') }), resolve: () => ({ id: '1', name: 'x', children: [{ name: 'a' }, { name: 'b' }] }) },
    node: field(Node, modelled, { id: { type: GraphQLID } }),
    items: field(ItemConnection, { complexity: countedModel('items') }, { first: { type: GraphQLInt }, last: { type: GraphQLInt } }),
    // Complexities that read an argument the model does not price, through each way of reading an object.
    byLength: field(
      new GraphQLList(Item),
      { complexity: counted('byLength', (a) => ({ field: 1, multiplier: String(a['q']).length })) },
      { q: { type: GraphQLString } },
    ),
    byIn: field(new GraphQLList(Item), { complexity: (a: object) => ({ field: 1, multiplier: 'q' in a ? 2 : 1 }) }, { q: { type: GraphQLString } }),
    byDescriptor: field(
      new GraphQLList(Item),
      { complexity: (a: object) => ({ field: 1, multiplier: Object.getOwnPropertyDescriptor(a, 'q') ? 2 : 1 }) },
      { q: { type: GraphQLString } },
    ),
    byKeys: field(
      new GraphQLList(Item),
      { complexity: (a: object) => ({ field: 1, multiplier: Reflect.ownKeys(a).length + 1 }) },
      { q: { type: GraphQLString } },
    ),
    // Reading a priced argument (`first`) with `in` keeps the price cacheable.
    byFirstIn: field(
      new GraphQLList(Item),
      { complexity: counted('byFirstIn', (a) => ({ field: 1, multiplier: 'first' in a ? 2 : 1 })) },
      { first: { type: GraphQLInt } },
    ),
    // A priced argument of another type than the model reads (a page size sent as text): such a value is no cache key.
    byFirstText: field(
      new GraphQLList(Item),
      { complexity: counted('byFirstText', (a) => ({ field: 1, multiplier: String(a['first']).length })) },
      { first: { type: GraphQLString } },
    ),
    // No complexity at all: 1 per field, lists times 10.
    plain: field(new GraphQLList(Item), {}),
    plainRequired: field(new GraphQLNonNull(new GraphQLList(Item)), {}),
    fixed: field(Item, { complexity: 5 }),
    multiplierOnly: field(new GraphQLList(Item), { complexity: { multiplier: 3 } }),
    negative: field(new GraphQLList(Item), { complexity: { field: 2, multiplier: -4 } }),
  },
});
export const schema = new GraphQLSchema({ query: Query, types: [Item, Tag] });
