import fc from 'fast-check';
import { readPayload } from '../../src/vtl/input.js';
import { TemplateRenderError } from '../../src/vtl/template-errors.js';
import { render } from './support.js';

// The Serverless Framework's form template, reduced to the part that reads the payload.
const FORM_FIELDS =
  "#foreach($token in $input.path('$').split('&'))#set($kv = $token.split('='))" +
  '$util.urlDecode($kv[0])=#if($kv.size() > 1)$util.urlDecode($kv[1])#end;#end';

describe('a payload that is not JSON', () => {
  it('is one string to $input.path and a JSON string to $input.json', () => {
    const body = 'name=Ann+Lee&email=ann%40example.com';
    expect(render("$input.path('$')", { body })).toBe(body);
    expect(render("$input.json('$')", { body })).toBe(JSON.stringify(body));
    expect(render("$input.path('$').length()", { body })).toBe(String(body.length));
    expect(render(FORM_FIELDS, { body })).toBe('name=Ann Lee;email=ann@example.com;');
  });

  it('has nothing below the root: deeper paths are null and ""', () => {
    const body = 'a=1&b=2';
    expect(render("[$input.path('$.a')][$input.json('$.a')][$input.json('$..a')]", { body })).toBe(
      '[][][[]]',
    );
    expect(render("#set($x = 'old')#set($x = $input.path('$.a'))$x", { body })).toBe('old');
  });

  it('is trimmed as Java trims it', () => {
    expect(render("[$input.path('$')]", { body: ' \t hello world \r\n' })).toBe('[hello world]');
    expect(render("[$input.path('$')]", { body: '\u0001x\u001f' })).toBe('[x]');
  });

  it.each([
    ['true story', 'true story'],
    ['nullable', 'nullable'],
    ['12abc', '12abc'],
    ['-', '-'],
    ['a "quoted" word', 'a "quoted" word'],
    ['   ', ''],
  ])('reads %j as the string %j', (body, expected) => {
    expect(readPayload(body)).toBe(expected);
  });

  it('still reads JSON scalars, objects and arrays as JSON; a near miss is a string', () => {
    expect(render("$input.json('$')", { body: ' 12 ' })).toBe('12');
    expect(render("$input.json('$')", { body: '12 apples' })).toBe('"12 apples"');
    expect(render("$input.json('$')", { body: 'true' })).toBe('true');
    expect(render("$input.json('$')", { body: 'true story' })).toBe('"true story"');
    expect(render("$input.json('$')", { body: '"quoted"' })).toBe('"quoted"');
    expect(render("$input.path('$.a')", { body: '{"a": [1]}' })).toBe('[1]');
    expect(readPayload('null')).toBeNull();
    expect(readPayload('null=1')).toBe('null=1');
  });

  it.each([
    ['{"a": ', 'a": 1'],
    ['[1, 2', '1, 2'],
    ['"unterminated', 'unterminated"'],
    ["'single'", "single'"],
    ['} x', 'x }'],
    [': x', 'x :'],
  ])(
    'keeps %j an error (it starts like a JSON object, array or quoted string), reads %j as a string',
    (broken, text) => {
      expect(() => render("$input.path('$')", { body: broken })).toThrow(TemplateRenderError);
      expect(() => readPayload(broken)).toThrow(/The payload is not valid JSON/);
      expect(render("$input.path('$')", { body: text })).toBe(text);
    },
  );

  it('gives any form body back unchanged, and $input.json a JSON string of it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.string()), { minLength: 1, maxLength: 8 }),
        (pairs) => {
          const body = new URLSearchParams(pairs).toString();
          expect(render("$input.path('$')", { body })).toBe(body);
          expect(JSON.parse(render("$input.json('$')", { body }))).toBe(body);
        },
      ),
    );
  });
});
