import { createMemoryCache } from '../../../src/plugins/response-cache/memory-store.ts';

// The in-process response store (the response cache without REDIS_URL). Its behaviour through
// GraphQL (hits, invalidation by mutations) is in response-cache.test.ts; here, the index that
// maps entities to responses, which must shrink as responses leave (graphql-yoga#4561).

const film = (id: number) => ({ typename: 'Film', id });
const person = (id: number) => ({ typename: 'Person', id });
const result = (n: number) => ({ data: { n } });

describe('the in-process response store', () => {
  it('keeps its entity index bounded while responses are evicted', () => {
    const cache = createMemoryCache({ max: 10 });
    // 5,000 responses, each with its own film and 8 people of its own: 45,000 distinct entities.
    for (let i = 0; i < 5_000; i++) {
      cache.set(`r${i}`, result(i), [film(i), ...Array.from({ length: 8 }, (_, j) => person(i * 8 + j))], 60_000);
    }
    const { responses, entities } = cache.size();
    expect(responses).toBe(10);
    // The 10 live responses' 90 entity keys and the two type keys; nothing of the 4,990 evicted ones.
    expect(entities).toBe(10 * 9 + 2);
    expect(cache.get('r4999')).toEqual(result(4999));
    expect(cache.get('r0')).toBeUndefined();
  });

  it('invalidates by entity id and by type, and the index forgets what it dropped', () => {
    const cache = createMemoryCache({ max: 100 });
    cache.set('her', result(1), [film(1), person(10), person(11)], 60_000);
    cache.set('lost', result(2), [film(2), person(11)], 60_000);
    cache.set('people', result(3), [person(10)], 60_000);
    cache.set('count', result(4), [{ typename: 'Film' }], 60_000);

    cache.invalidate([person(11)]);
    expect(cache.get('her')).toBeUndefined();
    expect(cache.get('lost')).toBeUndefined();
    expect(cache.get('people')).toEqual(result(3));
    expect(cache.get('count')).toEqual(result(4));
    // Left: people (Person, Person:10) and count (Film).
    expect(cache.size()).toEqual({ responses: 2, entities: 3 });

    cache.invalidate([{ typename: 'Film' }]);
    expect(cache.get('count')).toBeUndefined();
    expect(cache.get('people')).toEqual(result(3));
    cache.invalidate([{ typename: 'Person' }]);
    expect(cache.size()).toEqual({ responses: 0, entities: 0 });
  });

  it('re-indexes a replaced response under its new entities only', () => {
    const cache = createMemoryCache({ max: 100 });
    cache.set('q', result(1), [film(1)], 60_000);
    cache.set('q', result(2), [film(2)], 60_000);
    cache.invalidate([film(1)]);
    expect(cache.get('q')).toEqual(result(2));
    cache.invalidate([film(2)]);
    expect(cache.get('q')).toBeUndefined();
    expect(cache.size()).toEqual({ responses: 0, entities: 0 });
  });

  it('expires a response after its ttl and drops it from the index', async () => {
    const cache = createMemoryCache({ max: 100 });
    cache.set('short', result(1), [film(1)], 30);
    cache.set('long', result(2), [film(2)], 60_000);
    expect(cache.get('short')).toEqual(result(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(cache.get('short')).toBeUndefined();
    expect(cache.size()).toEqual({ responses: 1, entities: 2 });
  });

  it('holds a copy: what a request does to the stored or the returned object does not reach the store', () => {
    const cache = createMemoryCache({ max: 10, maxBytes: 1_000 });
    const stored = { data: { film: { id: 'RmlsbTox', title: 'Her', genres: ['Drama'] } } };
    cache.set('her', stored, [film(1)], 60_000);
    stored.data.film.title = 'changed after it was stored';
    const first = cache.get('her') as typeof stored;
    expect(first).toEqual({ data: { film: { id: 'RmlsbTox', title: 'Her', genres: ['Drama'] } } });
    first.data.film.genres.push('changed by a reader');
    expect(cache.get('her')).toEqual({ data: { film: { id: 'RmlsbTox', title: 'Her', genres: ['Drama'] } } });
    expect(cache.get('her')).not.toBe(first);
    // The budget counts the stored JSON's characters.
    expect(cache.bytes()).toBe(JSON.stringify({ data: { film: { id: 'RmlsbTox', title: 'Her', genres: ['Drama'] } } }).length);
  });

  it('keeps an entity shared by several responses indexed as they come and go', () => {
    const cache = createMemoryCache({ max: 2 });
    cache.set('a', result(1), [film(1)], 60_000);
    cache.set('b', result(2), [film(1), person(1)], 60_000);
    // Evicts a (least recently used): Film:1 is left with b only.
    cache.set('c', result(3), [film(1)], 60_000);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', result(4), [film(1)], 60_000); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size()).toEqual({ responses: 2, entities: 2 });
    cache.invalidate([film(1)]);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size()).toEqual({ responses: 0, entities: 0 });
  });
});
