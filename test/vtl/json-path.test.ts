import {
  compileJsonPath,
  evaluateJsonPath,
  JsonPathError,
  jsonPathCacheChars,
} from '../../src/vtl/json-path.js';

const doc = {
  store: {
    book: [
      { category: 'reference', author: 'Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Waugh', title: 'Sword', price: 12.99, isbn: 'x' },
      { category: 'fiction', author: 'Tolkien', title: 'Rings', price: 22.99, isbn: 'y', used: true },
    ],
    bicycle: { color: 'red', price: 19.95 },
    'we ird': 1,
    nothing: null,
  },
  list: [0, 1, 2, 3, 4],
};

describe('evaluateJsonPath', () => {
  it.each<[string, unknown[]]>([
    ['$', [doc]],
    ['$.store.bicycle.color', ['red']],
    ["$['store']['bicycle']['color']", ['red']],
    ['$["store"].bicycle["color"]', ['red']],
    ["$.store['we ird']", [1]],
    ['$.store.nothing', [null]],
    ['$.store.book[0].author', ['Rees']],
    ['$.store.book[-1].author', ['Tolkien']],
    ['$.store.book[5].author', []],
    ['$.list[0,2]', [0, 2]],
    ['$.store.book[*].author', ['Rees', 'Waugh', 'Tolkien']],
    ['$.store.bicycle.*', ['red', 19.95]],
    ['$..author', ['Rees', 'Waugh', 'Tolkien']],
    ['$.store..price', [8.95, 12.99, 22.99, 19.95]],
    ['$.list[1:3]', [1, 2]],
    ['$.list[:2]', [0, 1]],
    ['$.list[-2:]', [3, 4]],
    ['$.list[::2]', [0, 2, 4]],
    ['$.store.book[?(@.isbn)].title', ['Sword', 'Rings']],
    ["$.store.book[?(@.category == 'fiction')].title", ['Sword', 'Rings']],
    ['$.store.book[?(@.category != "fiction")].title', ['Sayings']],
    ['$.store.book[?(@.price < 10)].title', ['Sayings']],
    ['$.store.book[?(@.price <= 12.99)].title', ['Sayings', 'Sword']],
    ['$.store.book[?(@.price > 20)].title', ['Rings']],
    ['$.store.book[?(@.price >= 12.99 && @.isbn == "x")].title', ['Sword']],
    ["$.store.book[?(@.author == 'Rees' || @.used == true)].title", ['Sayings', 'Rings']],
    ['$.store.book[?(@.used == false)].title', []],
    ['$.store.book[?(!@.isbn)].title', ['Sayings']],
    ['$.store.book[?(@.price == "8.95")].title', []],
    ['$.store.nothing[?(@ == null)]', []],
    ['$.store.book[?(@.price > $.store.bicycle.price)].title', ['Rings']],
    ['store.bicycle.color', ['red']],
    ['$.missing.deeper', []],
    ['$.list.length', []],
    ['$.store.constructor', []],
    ['$.store.__proto__', []],
    ['$.store.toString', []],
  ])('%s selects %j', (path, expected) => {
    expect(evaluateJsonPath(doc, path)).toEqual(expected);
  });

  it('reads an own "__proto__" key of parsed JSON, never the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(evaluateJsonPath(parsed, "$['__proto__'].polluted")).toEqual([1]);
    expect(evaluateJsonPath({}, '$.__proto__')).toEqual([]);
  });

  it.each([['$.a['], ['$.a[?(@.b ==)]'], ["$['a"], ['$.a.length()'], ['$..'], ['$.a[1:2:0]'], ['$ x']])(
    '%j is a JsonPathError',
    (path) => {
      expect(() => evaluateJsonPath(doc, path)).toThrow(JsonPathError);
    },
  );

  it('marks definite paths (one node at most) and caches compiled paths', () => {
    expect(compileJsonPath('$.a.b[0]').definite).toBe(true);
    expect(compileJsonPath("$['a']").definite).toBe(true);
    for (const path of ['$..a', '$.a[*]', '$.a[0,1]', '$.a[1:]', '$.a[?(@.b)]', '$.*']) {
      expect(compileJsonPath(path).definite).toBe(false);
    }
    expect(compileJsonPath('$.cached')).toBe(compileJsonPath('$.cached'));
  });

  it('walks a deeply nested document without overflowing the stack', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(evaluateJsonPath(deep, '$..leaf')).toEqual([1]);
  });
});

describe('the compiled-path cache', () => {
  it('stays bounded in characters when paths are built from request data', () => {
    // `$input.path("$.$input.params('f')")`: every request may bring a new, long path.
    for (let i = 0; i < 300; i++) {
      const path = `$.${'a'.repeat(3_000)}${i}`;
      expect(compileJsonPath(path).evaluate({})).toEqual([]);
      expect(jsonPathCacheChars()).toBeLessThanOrEqual(256 * 1024);
    }
    for (let i = 0; i < 20; i++) {
      const huge = `$.${'b'.repeat(9_000)}${i}`;
      expect(compileJsonPath(huge).evaluate({})).toEqual([]);
      expect(jsonPathCacheChars()).toBeLessThanOrEqual(256 * 1024);
    }
  });

  it('still caches the literal paths of templates', () => {
    expect(compileJsonPath('$.store.book[0].title')).toBe(compileJsonPath('$.store.book[0].title'));
  });
});
