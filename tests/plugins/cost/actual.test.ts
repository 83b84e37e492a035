import { parse } from 'graphql';
import { actualCost } from '../../../src/plugins/cost/actual.ts';
import { schema } from '../../helpers/cost-schema.ts';

// The actual cost of a result, on the hand-built schema (tests/helpers/cost-schema.ts) and
// hand-written data, no database: what each shape of value costs. Through the API, with the
// seed's data: cost.test.ts.

const actual = (source: string, data: unknown, operationName?: string) => actualCost(schema, parse(source), operationName, data);

describe('the actual cost of a result', () => {
  test('a field selected twice under one response key counts every selection of it', () => {
    // item 1 + children (1 + 2 children at least 1): the children come from the first selection, the name from the second.
    expect(actual('{ item { children { name } } item { name } }', { item: { name: 'x', children: [{ name: 'a' }, { name: 'b' }] } })).toBe(4);
  });

  test('an abstract value without __typename is priced by the first type that has the field', () => {
    // Item (the first Node) has children of objects: node 1 + children (1 + 1 child)
    expect(actual('{ node(id: "1") { ... on Item { children { name } } } }', { node: { children: [{ name: 'a' }] } })).toBe(3);
  });

  test('no data, data that is not an object, or no operation by that name: 0', () => {
    const query = '{ item { name } }';
    expect(actual(query, null)).toBe(0);
    expect(actual(query, 42)).toBe(0);
    expect(actual(query, 'item')).toBe(0);
    expect(actual(query, { item: { name: 'x' } }, 'Nope')).toBe(0);
    expect(actual('query A { item { name } } query B { item { children { name } } }', { item: { name: 'x' } }, 'B')).toBe(1);
  });

  test('a field missing from the data (left out by @skip, or a failed resolver) costs nothing', () => {
    expect(actual('{ item { name } plain { name } }', { plain: [{ name: 'a' }] })).toBe(1 + 1);
    expect(actual('{ item { name } }', {})).toBe(0);
  });

  test('a null object costs only its field; a null item in a list costs nothing beyond the list length', () => {
    expect(actual('{ item { children { name } } }', { item: null })).toBe(1);
    // item 1 + children (1 + max(2 items, a null + a child with 3 children: 1 + 3))
    const data = { item: { children: [null, { children: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }] } };
    expect(actual('{ item { children { children { name } } } }', data)).toBe(1 + 1 + 4);
  });

  describe('a connection: its page is its longest list; its other fields count once per page item', () => {
    test('an object beside the page counts per item; a key the type does not have (__typename) costs nothing', () => {
      // items 1 + max(2 items, 2 × summary 1 + nodes (2 × 1 + children: a has 1 child (1 + 1), b none (1 + 0)))
      const data = {
        items: {
          __typename: 'ItemConnection',
          totalCount: 7,
          summary: { name: 's' },
          nodes: [
            { name: 'a', children: [{ name: 'x' }] },
            { name: 'b', children: [] },
          ],
        },
      };
      expect(actual('{ items(first: 3) { __typename totalCount summary { name } nodes { name children { name } } } }', data)).toBe(1 + 2 * 1 + 5);
    });

    test('a field left out of the data costs nothing per item', () => {
      // items 1 + max(1 item, 0 per item + nodes 1 × 1): the missing summary would add 1 per item
      expect(actual('{ items(first: 3) { summary { name } nodes { name } } }', { items: { nodes: [{ name: 'a' }] } })).toBe(1 + 1);
    });

    test('a list of scalars costs its length; with two lists the longer is the page', () => {
      expect(actual('{ items(first: 5) { names } }', { items: { names: ['a', 'b', 'c'] } })).toBe(1 + 3);
      // page 3 (names), and the nodes list 1 × 1: items 1 + max(3, 3 × 0 + 1)
      expect(actual('{ items(first: 5) { names nodes { name } } }', { items: { names: ['a', 'b', 'c'], nodes: [{ name: 'a' }] } })).toBe(1 + 3);
      // nodes first, then the longer names: the page grows to 3
      expect(actual('{ items(first: 5) { nodes { name } names } }', { items: { nodes: [{ name: 'a' }], names: ['a', 'b', 'c'] } })).toBe(1 + 3);
    });
  });
});
