import fc from 'fast-check';
import { compileTemplate, TemplateRenderError, TemplateSyntaxError } from '../../src/vtl/compile-template.js';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from '../../src/vtl/util.js';
import { makeScope } from './support.js';

const unicode = fc.string({ unit: 'binary' });

describe('$util round trips', () => {
  it('urlDecode(urlEncode(s)) === s and the encoding uses only URLEncoder’s safe set', () => {
    fc.assert(
      fc.property(unicode, (s) => {
        const encoded = urlEncode(s);
        expect(encoded).toMatch(/^[A-Za-z0-9.\-*_+%]*$/);
        expect(urlDecode(encoded)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('base64Decode(base64Encode(s)) === s', () => {
    fc.assert(
      fc.property(unicode, (s) => {
        const encoded = base64Encode(s);
        expect(encoded).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(base64Decode(encoded)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it("escapeJavaScript output is printable ASCII that JSON.parse reads back (after the documented \\' fix)", () => {
    fc.assert(
      fc.property(unicode, (s) => {
        const escaped = escapeJavaScript(s);
        expect(escaped).toMatch(/^[\x20-\x7f]*$/);
        expect(JSON.parse(`"${escaped.replaceAll("\\'", "'").replaceAll('\\/', '/')}"`)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

const FRAGMENTS = [
  '$input.body',
  "$input.json('$')",
  "$input.json('$.a')",
  "$input.path('$.a')",
  "$input.path('$..b')",
  "$input.params('x')",
  '$input.params()',
  '$util.escapeJavaScript($x)',
  '$util.urlEncode($x)',
  '$util.urlDecode($x)',
  '$util.base64Decode($x)',
  '$util.parseJson($x)',
  '$context.stage',
  '$stageVariables.v',
  '#set($x = $input.path("$.a"))',
  '#set($x = "s")',
  '#set($x = 7 / 2)',
  '#set($m = {"k": $x})',
  '#set($l = [1, $x])',
  '$x',
  '$!x',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: VTL's ${x} reference syntax
  '${x}',
  '$x.length()',
  '$x.split(",")',
  '$x.replaceAll("a", "$1")',
  '$x.substring(1)',
  '$x.size()',
  '$x.get(0)',
  '$m.put("__proto__", 1)',
  '#set($x.__proto__.polluted = 1)',
  '#set($m.constructor.prototype.polluted = 1)',
  '$x.constructor.constructor("return process")()',
  '$util.urlEncode.call(null, "x")',
  '#if($x)',
  '#elseif($x == "")',
  '#else',
  '#end',
  '#foreach($i in $l)',
  '#foreach($i in [1..3])',
  '$foreach.count',
  '#break',
  '#macro(m $a)',
  '#m($x)',
  '#stop()',
  '## comment',
  '#* c *#',
  '"',
  "'",
  '(',
  ')',
  '{',
  '}',
  ',',
  ' ',
  '\n',
  'text',
];

const template = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
);

const body = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.json(),
  fc.constant('{"a":{"b":[1,"x",null]},"__proto__":{"polluted":1}}'),
);

describe('arbitrary templates', () => {
  it('only ever throw TemplateSyntaxError or TemplateRenderError, and never escape the sandbox', () => {
    fc.assert(
      fc.property(template, body, (source, payload) => {
        let compiled: ReturnType<typeof compileTemplate> | undefined;
        try {
          compiled = compileTemplate(source);
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateSyntaxError);
        }
        if (compiled !== undefined) {
          try {
            const out = compiled.render(
              makeScope({ body: payload, params: { path: {}, querystring: { x: 'a,b' }, header: {} } }),
            );
            expect(typeof out).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(TemplateRenderError);
          }
        }
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
