import { parse } from 'graphql';
import { actualCost } from '../../../src/plugins/cost/actual.ts';
import { priceCacheStats, requestedCost } from '../../../src/plugins/cost/cost.ts';
import { calls, schema } from '../../helpers/cost-schema.ts';

// The pricing walks on a small hand-built schema (tests/helpers/cost-schema.ts), no database:
// fields whose complexity reads arguments the model does not price (the API's own fields never
// do, so cost.test.ts cannot reach that path), fields without a complexity, fixed and odd
// complexities, an interface, and documents built to be exponential for a walk that follows
// every fragment spread.

const price = (source: string, variables: Record<string, unknown> = {}) => requestedCost(schema, parse(source), variables, undefined, {});
/** Prices one parsed document with each set of variables, and what the shared price cache did meanwhile. */
function priceEach(source: string, variableSets: Record<string, unknown>[]) {
  const document = parse(source);
  const before = priceCacheStats();
  const prices = variableSets.map((variables) => requestedCost(schema, document, variables, undefined, {}));
  const after = priceCacheStats();
  return { prices, entries: after.entries - before.entries, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

describe('the requested-cost cache', () => {
  test('an operation whose complexity reads an unpriced argument is priced on every request, never from the cache', () => {
    calls.clear();
    // byLength 1 + len(q) × (an item at least 1)
    const result = priceEach('query ($q: String) { byLength(q: $q) { name } }', [{ q: 'ab' }, { q: 'abcde' }, { q: 'ab' }]);
    expect(result).toEqual({ prices: [3, 6, 3], entries: 0, hits: 0, misses: 3 });
    expect(calls.get('byLength')).toBe(3);
  });

  test.each([
    ['`in`', 'byIn'],
    ['Object.getOwnPropertyDescriptor', 'byDescriptor'],
  ])('a complexity that tests an unpriced argument with %s is asked on every request', (_how, name) => {
    // Without q the multiplier is 1, with it 2: a cached first price would be wrong for the second request.
    const result = priceEach(`query ($q: String) { ${name}(q: $q) { name } }`, [{}, { q: 'x' }, {}]);
    expect(result).toEqual({ prices: [2, 3, 2], entries: 0, hits: 0, misses: 3 });
  });

  test('a complexity that lists the arguments is asked on every request', () => {
    // 1 + (number of arguments + 1) × 1
    const result = priceEach('query ($q: String) { byKeys(q: $q) { name } }', [{}, { q: 'x' }, {}]);
    expect(result).toEqual({ prices: [2, 3, 2], entries: 0, hits: 0, misses: 3 });
  });

  test('reading a priced argument, even with `in`, keeps the price cached by its value', () => {
    calls.clear();
    const result = priceEach('query ($n: Int) { byFirstIn(first: $n) { name } }', [{ n: 4 }, { n: 4 }, {}, {}]);
    // first present → ×2, absent → ×1; one entry per form of `first`, the repeats are hits.
    expect(result).toEqual({ prices: [3, 3, 2, 2], entries: 2, hits: 2, misses: 2 });
    expect(calls.get('byFirstIn')).toBe(2);
  });

  test('a priced argument whose value the model does not read (text for a page size) is priced on every request', () => {
    calls.clear();
    const result = priceEach('query ($f: String) { byFirstText(first: $f) { name } }', [{ f: 'ab' }, { f: 'abcde' }, { f: 'ab' }]);
    expect(result).toEqual({ prices: [3, 6, 3], entries: 0, hits: 0, misses: 3 });
    expect(calls.get('byFirstText')).toBe(3);
  });

  test('an absent and a null page size are each cached (the default page), apart from any number', () => {
    calls.clear();
    const result = priceEach('query ($n: Int) { items(first: $n) { nodes { name } } }', [{}, {}, { n: null }, { n: null }, { n: 3 }, {}]);
    // items 1 + 20 × an item at least 1 (absent or null), 1 + 3 × 1 for first: 3
    expect(result).toEqual({ prices: [21, 21, 21, 21, 4, 21], entries: 3, hits: 3, misses: 3 });
    expect(calls.get('items')).toBe(3);
  });

  test('every priced variable is part of the key: two page sizes, one changed, is a new price', () => {
    const result = priceEach('query ($n: Int, $m: Int) { a: items(first: $n) { nodes { name } } b: items(first: $m) { nodes { name } } }', [
      { n: 1, m: 2 },
      { n: 3, m: 2 },
      { n: 1, m: 2 },
    ]);
    // (1 + n × 1) + (1 + m × 1)
    expect(result).toEqual({ prices: [5, 7, 5], entries: 2, hits: 1, misses: 2 });
  });

  test('a page size written in the document is part of the document: one entry, then hits', () => {
    const result = priceEach('{ items(first: 3) { nodes { name } } }', [{}, { unused: 1 }, {}]);
    expect(result).toEqual({ prices: [4, 4, 4], entries: 1, hits: 2, misses: 1 });
  });
});

describe('@skip and @include', () => {
  test('a field or fragment left out by a literal condition costs nothing', () => {
    // item 1 + name 0; plain would be 1 + 10 × 1
    expect(price('{ item { name } plain @include(if: false) { name } }')).toBe(1);
    expect(price('{ item { name } plain @skip(if: true) { name } }')).toBe(1);
    expect(price('{ item { name } ... @skip(if: true) { plain { name } } }')).toBe(1);
    expect(price('query { item { name } ...P @include(if: false) } fragment P on Query { plain { name } }')).toBe(1);
    expect(price('{ item { name } plain @include(if: true) @skip(if: false) { name } }')).toBe(12);
    // @skip wins over @include, as in execution
    expect(price('{ item { name } plain @include(if: true) @skip(if: true) { name } }')).toBe(1);
  });

  test('a condition given by a variable is part of the price’s key', () => {
    const result = priceEach('query ($c: Boolean!) { item { name } plain @include(if: $c) { name } }', [{ c: true }, { c: false }, { c: true }, { c: false }]);
    expect(result).toEqual({ prices: [12, 1, 12, 1], entries: 2, hits: 2, misses: 2 });
  });

  test('a page size first met under a condition that was false is still part of the key', () => {
    const result = priceEach('query ($c: Boolean!, $n: Int) { items(first: $n) @include(if: $c) { nodes { name } } }', [
      { c: false, n: 1 },
      { c: true, n: 3 },
      { c: true, n: 5 },
      { c: true, n: 3 },
      { c: false, n: 5 },
    ]);
    // 0 when left out, else 1 + n × 1
    expect(result.prices).toEqual([0, 4, 6, 4, 0]);
    expect(result.hits).toBe(1);
  });
});

describe('the requested-cost walk', () => {
  test('an operation of a type the schema does not have has no price', () => {
    expect(price('mutation { item { name } }')).toBeUndefined();
    expect(price('subscription { item { name } }')).toBeUndefined();
  });

  test('a field selected on an interface is priced by the interface field', () => {
    // node 1 + id 0; the id of an unknown field would cost 1
    expect(price('{ node(id: "1") { id } }')).toBe(1);
    expect(price('{ node(id: "1") { ... on Item { children { name } } } }')).toBe(1 + 1 + 10);
  });

  test('fields without a complexity cost 1, lists (nullable or not) 10 times their selection', () => {
    // plain 1 + 10 × name 1
    expect(price('{ plain { name } }')).toBe(11);
    expect(price('{ plainRequired { name } }')).toBe(11);
    // an object: 1 + its selection
    expect(price('{ item { name children { id } } }')).toBe(1 + 0 + 1 + 10);
  });

  test('a numeric complexity is the field’s own cost; an object without `field` costs 1; a negative multiplier counts as 0', () => {
    expect(price('{ fixed { name } }')).toBe(5 + 0);
    // 1 + 3 × at least 1
    expect(price('{ multiplierOnly { name } }')).toBe(4);
    expect(price('{ negative { name } }')).toBe(2);
  });

  test('a fragment spread many times is priced once per type: linear in the document, not in its expansion', () => {
    calls.clear();
    const depth = 30;
    const fragments = Array.from({ length: depth }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const started = performance.now();
    // 2^30 spreads of F0 when expanded; priced once, and a field selected twice costs twice per selection set (item 1 + name 0)
    expect(price(`query { ...F${depth} } fragment F0 on Query { item { name } } ${fragments}`)).toBe(2 ** depth);
    expect(calls.get('item')).toBe(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('the actual-cost walk', () => {
  test('fields are found by their response key (aliases)', () => {
    const document = parse('{ a: item { name } b: item { children { name } } }');
    // a: item 1; b: item 1 + children (1 + 2 items × at least 1)
    expect(actualCost(schema, document, undefined, { a: { name: 'x' }, b: { children: [{ name: 'y' }, { name: 'z' }] } })).toBe(1 + 1 + 1 + 2);
  });

  test('an abstract value is priced as the type its __typename names', () => {
    const document = parse('{ node(id: "1") { __typename ... on Item { children { name } } ... on Tag { children } } }');
    // An Item's children are objects: node 1 + children (1 + 2 items); a Tag's are strings: node 1 + children (0 + 2 values).
    expect(actualCost(schema, document, undefined, { node: { __typename: 'Item', children: [{ name: 'a' }, { name: 'b' }] } })).toBe(4);
    expect(actualCost(schema, document, undefined, { node: { __typename: 'Tag', children: ['a', 'b'] } })).toBe(3);
  });

  test('a document that spreads each fragment twice is walked in linear time', () => {
    const depth = 30;
    const fragments = Array.from({ length: depth }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const document = parse(`query { ...F${depth} } fragment F0 on Query { item { name children { name } } } ${fragments}`);
    const started = performance.now();
    // item 1 + children (1 + 3 items at least 1)
    expect(actualCost(schema, document, undefined, { item: { name: 'x', children: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } })).toBe(5);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
