import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compileTemplate, TemplateRenderError } from '../../src/vtl/compile-template.js';
import { makeScope, render } from './support.js';

const withName = (name: string) => ({
  params: { path: {}, querystring: { name }, header: {} },
});

describe('regex loops step over a character outside the BMP as Java does', () => {
  it.each([
    // Java: "😀Ann".split("") → [😀, A, n, n]
    ["$input.params('name').split('')", '😀Ann', '[😀, A, n, n]'],
    ["$input.params('name').split('')", 'A😀nn', '[A, 😀, n, n]'],
    ["$input.params('name').split('')", 'Ann😀', '[A, n, n, 😀]'],
    ["$input.params('name').split('x*')", '😀😀x', '[😀, 😀]'],
    ["$input.params('name').split('(?=.)')", 'a😀b', '[a, 😀, b]'],
    ["$input.params('name').split('\\b')", 'hi😀there', '[hi, 😀, there]'],
    ["$input.params('name').split('', 2)", '😀😀😀', '[😀, 😀😀]'],
    ["$input.params('name').split('', -1)", '😀😀', '[😀, 😀, ]'],
    ["$input.params('name').replaceAll('', '-')", '😀A', '-😀-A-'],
    ["$input.params('name').replaceAll('x*', '-')", 'a😀', '-a-😀-'],
    ["$input.params('name').replaceFirst('(?<=😀)', '-')", '😀😀', '😀-😀'],
    ["$input.params('name').matches('.')", '😀', 'true'],
    ["$input.params('name').matches('..')", '😀', 'false'],
  ])('%s with %j', (template, name, expected) => {
    expect(render(template, withName(name))).toBe(expected);
  });

  it('splits a string of many astral characters in linear time, without a hang', () => {
    const name = `${'a'.repeat(1000)}😀`.repeat(20);
    const parts = render("$input.params('name').split('').size()", withName(name));
    expect(parts).toBe(String(20 * 1001));
  });

  it('does not split inside a pair on a single-surrogate pattern (Java has no fast path for surrogates)', () => {
    expect(render("$input.params('name').split('\\uD83D').size()", withName('a😀b'))).toBe('1');
  });
});

describe('ranges take each bound as intValue(), as Velocity 1.7', () => {
  const range = "#set($a = $input.path('$.a'))#set($b = $input.path('$.b'))#foreach($i in [$a..$b])$i,#end";
  it.each([
    ['{"a":1,"b":3}', '1,2,3,'],
    ['{"a":3,"b":1}', '3,2,1,'],
    ['{"a":-2,"b":0}', '-2,-1,0,'],
    // A Long keeps its low 32 bits: 2^53 → 0, 2^53 + 2 → 2 (Java's long-to-int narrowing).
    ['{"a":9007199254740992,"b":9007199254740994}', '0,1,2,'],
    ['{"a":4294967296,"b":4294967297}', '0,1,'],
    ['{"a":"1","b":3}', ''],
  ])('[$a..$b] over %s', (body, expected) => {
    expect(render(range, { body })).toBe(expected);
  });

  it('refuses a range too large to build instead of running out of memory', () => {
    expect(() => render(range, { body: '{"a":0,"b":2147483647}' })).toThrow(TemplateRenderError);
    expect(() => render(range, { body: '{"a":-2147483648,"b":2147483647}' })).toThrow(TemplateRenderError);
  });
});

describe('macros', () => {
  it.each(['toString', 'valueOf', 'constructor', 'hasOwnProperty'])(
    'a macro named %s compiles and runs',
    (name) => {
      expect(render(`#macro(${name} $a)<$a>#end#${name}(1)#${name}('x')`)).toBe('<1><x>');
    },
  );

  it('allows 20 nested calls, as velocimacro.max.depth', () => {
    const template = '#macro(r $n)$n,#if($n < 20)#set($m = $n + 1)#r($m)#end#end#r(1)';
    expect(render(template)).toBe(`${Array.from({ length: 20 }, (_, i) => i + 1).join(',')},`);
  });

  it('fails the render past 20 nested calls instead of recursing until the stack overflows', () => {
    expect(() => render('#macro(r $n)#r($n)#end#r(1)')).toThrow(/Max calling depth of 20/);
    expect(() => render('#macro(r $n)$n#if($n < 21)#set($m = $n + 1)#r($m)#end#end#r(1)')).toThrow(
      /Max calling depth/,
    );
  });

  it('counts depth, not calls: a macro called many times in a row is fine', () => {
    expect(render('#macro(one)1#end#foreach($i in [1..500])#one()#end').length).toBe(500);
  });
});

describe('a compiled template keeps nothing of the request it rendered', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it('lets $input and $context be collected once the render ends', async () => {
    const template = compileTemplate(
      "#set($x = $input.path('$'))$x.size() $context.requestId #foreach($i in [1..2])$i#end",
    );
    const refs: WeakRef<object>[] = [];
    const renderOnce = (): string => {
      const scope = makeScope({ body: JSON.stringify({ big: 'x'.repeat(100_000) }) });
      scope.context.requestId = 'r-1';
      refs.push(new WeakRef(scope.context), new WeakRef(scope.params));
      return template.render(scope);
    };
    expect(renderOnce()).toBe('1 r-1 12');
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs.map((ref) => ref.deref())).toEqual([undefined, undefined]);
  });

  it('lets them be collected after a render that failed', async () => {
    const template = compileTemplate("#foreach($i in [1..2])$input.path('$').get(5)#end");
    let ref: WeakRef<object> | undefined;
    (() => {
      const scope = makeScope({ body: '[1]' });
      ref = new WeakRef(scope.params);
      expect(() => template.render(scope)).toThrow(TemplateRenderError);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ref?.deref()).toBeUndefined();
  });
});

// The REST API quotas table: "Number of iterations in a #foreach ... #end loop in mapping
// templates: 1000". Past it, Velocity's directive.foreach.maxloops ends the loop without an error
// and without touching $foreach.hasNext (Velocity 1.7 Foreach.render); AWS states no other behaviour.
describe('#foreach stops after 1,000 iterations of one loop, as AWS documents', () => {
  const list = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => i));

  it.each([
    [999, 999],
    [1000, 1000],
    [1001, 1000],
    [5000, 1000],
  ])('a loop over %i items runs %i times, and the render goes on', (n, runs) => {
    const out = render("#foreach($i in $input.path('$'))x#end|after", { body: list(n) });
    expect(out).toBe(`${'x'.repeat(runs)}|after`);
  });

  it('leaves $foreach.hasNext true on the last iteration it runs when items remain', () => {
    const out = render(
      "#foreach($i in $input.path('$'))#if($foreach.count == 1000)$i:$foreach.hasNext:$foreach.last#end#end",
      { body: list(1200) },
    );
    expect(out).toBe('999:true:false');
  });

  it('counts each run of a loop on its own: nested loops each get 1,000', () => {
    const out = render('#foreach($a in [1..3])#foreach($b in [1..1500])x#end;#end', {});
    expect(out).toBe(`${'x'.repeat(1000)};`.repeat(3));
  });

  it('fails a render whose nested loops add up to more than a million iterations', () => {
    expect(() =>
      render('#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..2])#end#end#end'),
    ).toThrow(/too many #foreach iterations/);
  });
});

describe('collections a client can size', () => {
  it('$list.addAll takes a list of 200,000 items (no spread into push)', () => {
    const body = JSON.stringify({ items: Array.from({ length: 200_000 }, (_, i) => i % 10) });
    const out = render("#set($l = [])#set($ok = $l.addAll($input.path('$.items')))$ok $l.size()", { body });
    expect(out).toBe('true 200000');
  });
});

describe('numbers a client can size', () => {
  const huge = '1.00000000000000000000e99999999'; // a BigDecimal (over 18 characters) of 10^99999999
  it.each([
    // exact answers where Java's are cheap to get
    ["$input.path('$.a')", `{"a":${huge}}`, '1.00000000000000000000E+99999999'],
    ["#if($input.path('$.a') > 1)big#end", `{"a":${huge}}`, 'big'],
    ["#if($input.path('$.a') < $input.path('$.b'))lt#else ge#end", `{"a":${huge},"b":1}`, ' ge'],
    ["$input.path('$.a').intValue() $input.path('$.a').longValue()", `{"a":${huge}}`, '0 0'],
    ["$input.json('$.l[?(@ > 1)]')", `{"l":[${huge},0.5]}`, '[1.00000000000000000000E+99999999]'],
  ])('%s over %s', (template, body, expected) => {
    expect(render(template, { body })).toBe(expected);
  });

  it.each([
    ["#set($q = $input.path('$.a') + 1)$q", `{"a":${huge}}`, /more than 10000/],
    [
      "#set($x = $input.path('$.a'))#foreach($i in [1..100])#set($x = $x * $x)#end$x",
      '{"a":3}',
      /more than 10000/,
    ],
    [
      "#set($x = $input.path('$.a'))#foreach($i in [1..100])#set($x = $x * $x)#end$x",
      `{"a":${huge}}`,
      /Overflow/,
    ],
    [
      "#set($q = $input.path('$.a') / $input.path('$.b'))$q",
      '{"a":1e400,"b":-9.25454950966e-313}',
      /Infinite or NaN/,
    ],
  ])('fails %s fast instead of building a number without end', (template, body, message) => {
    expect(() => render(template, { body })).toThrow(message);
  });
});

describe('payload nesting', () => {
  const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
  const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('reads a payload nested 1,000 levels deep, arrays and maps', () => {
    expect(render("$input.json('$')", { body: nested(1000) })).toBe(nested(1000));
    expect(render("$input.json('$')", { body: nested(1000, '1.5e300') })).toBe(nested(1000, '1.5E300'));
    expect(render("#set($x = $input.path('$'))$x", { body: objects(1000) })).toBe(
      `${'{a='.repeat(1000)}1${'}'.repeat(1000)}`,
    );
  });

  it.each([1001, 500_000])('refuses one nested %i levels at once, before either parser recurses', (depth) => {
    expect(() => render("$input.path('$')", { body: nested(depth) })).toThrow(
      'The payload is nested deeper than 1000 levels',
    );
    expect(() => render("$input.path('$')", { body: nested(depth, '0.1e-999') })).toThrow(/nested deeper/);
  });

  it('does not count brackets inside strings', () => {
    const body = JSON.stringify({ s: '['.repeat(5000) });
    expect(render("$input.path('$.s').length()", { body })).toBe('5000');
  });
});
