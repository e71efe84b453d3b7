import fc from 'fast-check';
import { parseQuery } from '../../src/http/parse-query.js';

describe('parseQuery', () => {
  it('is null when there is no query string (not {})', () => {
    expect(parseQuery('')).toBeNull();
    expect(parseQuery('&&')).toBeNull();
  });

  it('keeps the last value in the single map and every value, in order, in the multi map (recorded)', () => {
    expect(parseQuery('category=electronics&category=books&price=10&price=20&price=30')).toEqual({
      single: { category: 'books', price: '30' },
      multi: { category: ['electronics', 'books'], price: ['10', '20', '30'] },
    });
  });

  it.each([
    ['plus=test+alias@gmail.com', 'plus', 'test alias@gmail.com'],
    ['email=test%2Balias@gmail.com', 'email', 'test+alias@gmail.com'],
    ['d=2023-06-12T18:05:10.123456+00:00', 'd', '2023-06-12T18:05:10.123456 00:00'],
    ['url=https://www.google.com/', 'url', 'https://www.google.com/'],
    ['whitespace=foo%20bar', 'whitespace', 'foo bar'],
    ['flag', 'flag', ''],
    ['bad=%E0%A4%A', 'bad', '%E0%A4%A'],
  ])('decodes %s as API Gateway does', (query, name, value) => {
    expect(parseQuery(query)).toEqual({ single: { [name]: value }, multi: { [name]: [value] } });
  });

  it('returns plain objects', () => {
    const q = parseQuery('a=1');
    expect(Object.getPrototypeOf(q?.single)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(q?.multi)).toBe(Object.prototype);
  });

  it('gives plain objects, with inherited names (constructor, toString) as own lists', () => {
    const q = parseQuery('constructor=a&toString=b&constructor=c&__proto__=d&__proto__=e');
    expect(Object.getPrototypeOf(q?.single)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(q?.multi)).toBe(Object.prototype);
    expect(JSON.stringify(q?.multi)).toBe('{"constructor":["a","c"],"toString":["b"],"__proto__":["d","e"]}');
    expect(JSON.stringify(q?.single)).toBe('{"constructor":"c","toString":"b","__proto__":"e"}');
  });

  it('treats __proto__ as an ordinary name', () => {
    const q = parseQuery('__proto__=x&constructor=y');
    expect(Object.getOwnPropertyDescriptor(q?.multi, '__proto__')?.value).toEqual(['x']);
    expect(Object.hasOwn(q?.single ?? {}, '__proto__')).toBe(true);
    expect(q?.single.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('parseQuery properties', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/);
  const pairs = fc.array(fc.tuple(word, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 12 });

  it('single holds the last value, multi every value in order, for any encoded pairs', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const query = list.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const parsed = parseQuery(query);
        const expectedMulti: Record<string, string[]> = {};
        for (const [k, v] of list) expectedMulti[k] = [...(expectedMulti[k] ?? []), v];
        expect(parsed?.multi).toEqual(expectedMulti);
        for (const [k, values] of Object.entries(expectedMulti)) {
          expect(parsed?.single[k]).toBe(values[values.length - 1]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and keeps single and multi consistent for any raw string', () => {
    fc.assert(
      fc.property(fc.string(), (query) => {
        const parsed = parseQuery(query);
        if (parsed === null) return;
        expect(Object.keys(parsed.single).sort()).toEqual(Object.keys(parsed.multi).sort());
        for (const [k, values] of Object.entries(parsed.multi)) {
          expect(values.length).toBeGreaterThan(0);
          expect(parsed.single[k]).toBe(values[values.length - 1]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
