import fc from 'fast-check';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { render } from './support.js';

const body = (json: string) => ({ body: json });

describe('JSON numbers keep their Java kind (json-smart: Integer, Long, BigInteger, Double, BigDecimal)', () => {
  it.each([
    ['1234567890123456789', '1234567890123456789'], // Long beyond 2^53
    ['-9223372036854775808', '-9223372036854775808'], // Long.MIN_VALUE
    ['123456789012345678901234567890', '123456789012345678901234567890'], // BigInteger
    ['3.0', '3.0'], // Double prints with .0
    ['-0.0', '-0.0'],
    ['1e20', '1.0E20'],
    ['1E-5', '1.0E-5'],
    ['0.001', '0.001'],
    ['12345678.5', '1.23456785E7'],
    ['2.5e2', '250.0'],
    ['0.1000000000000000000001', '0.1000000000000000000001'], // over 18 characters: BigDecimal
    ['1.00000000000000000000e5', '100000.000000000000000'],
    ['1.0000000000000000000e-10', '1.0000000000000000000E-10'],
  ])('$input.json and $input.path print %s as %s', (n, printed) => {
    const scope = body(`{"n": ${n}, "list": [${n}]}`);
    expect(render("$input.json('$.n')", scope)).toBe(printed);
    expect(render("$input.path('$.n')", scope)).toBe(printed);
    expect(render("$input.json('$.list')", scope)).toBe(`[${printed}]`);
    expect(render("$input.path('$.list')", scope)).toBe(`[${printed}]`);
    expect(render("$input.path('$')", scope)).toBe(`{n=${printed}, list=[${printed}]}`);
  });

  it('$util.parseJson keeps kinds and digits too', () => {
    expect(
      render('#set($o = $util.parseJson(\'{"a": 2.0, "b": 98765432109876543210}\'))$o.a $o.b $o', {}),
    ).toBe('2.0 98765432109876543210 {a=2.0, b=98765432109876543210}');
  });

  it('parses payloads with duplicate keys as json-smart does (the last one wins)', () => {
    expect(render("$input.json('$')", body('{"a": 1.5, "a": 2.5}'))).toBe('{"a":2.5}');
  });

  it('a payload that is not JSON is still a render error', () => {
    expect(() => render("$input.json('$')", body('{"a": 1.5,'))).toThrow(/not valid JSON/);
  });
});

describe('Velocity 1.7 arithmetic on Java numbers (MathUtils)', () => {
  it.each([
    ["$input.path('$.price') / 2", '1.5'], // Double / Integer is a Double division
    ["$input.path('$.price') * 2", '6.0'],
    ["$input.path('$.price') + 1", '4.0'],
    ["$input.path('$.price') % 2", '1.0'],
    ["$input.path('$.big') + 1", '1234567890123456790'], // Long arithmetic
    ["$input.path('$.big') * 10", '12345678901234567890'], // overflow → BigInteger
    ["$input.path('$.max') + 1", '9223372036854775808'],
    ["$input.path('$.max') * -1 - 2", '-9223372036854775809'],
    ["$input.path('$.huge') / 7", '17636684157301855379188855379'], // BigInteger division truncates
    ["$input.path('$.huge') % 7", '1'],
    ["$input.path('$.int') + 1", '2147483648'], // Integer overflow widens to Long
    ["$input.path('$.dec') + 1", '1.1000000000000000000000'], // new BigDecimal(1.0) is 1
    // a Double joins a BigDecimal as new BigDecimal(double): its exact binary value
    ["$input.path('$.dec') + 0.1", '0.2000000000000000055511151231257827021181583404541015625'],
    ["$input.path('$.dec') * 2", '0.2000000000000000000000'],
    ["$input.path('$.dec') / 3", '0.0333333333333333333333'], // scale of the dividend, HALF_DOWN
    ['7 / 2', '3'],
    ['-7 / 2', '-3'],
    ['-7 % 3', '-1'],
    ['7.0 / 2', '3.5'],
    ['1.5 * 2', '3.0'],
    ['0.1 + 0.2', '0.30000000000000004'],
    ['2147483647 + 1', '2147483648'],
    ['1.0 / 3', '0.3333333333333333'],
    ['100000.0 * 100', '1.0E7'],
  ])('%s = %s', (expr, out) => {
    const scope = body(
      '{"price": 3.0, "big": 1234567890123456789, "max": 9223372036854775807, "huge": 123456789101112987654321987654, "int": 2147483647, "dec": 0.1000000000000000000000}',
    );
    expect(render(`#set($r = ${expr})$r`, scope)).toBe(out);
  });

  it('division or modulo by zero gives null (renders nothing), whatever the kinds', () => {
    expect(render('#set($r = "x")#set($r = 1 / 0)$r|#set($s = 1.5 % 0.0)$!s|', {})).toBe('x||');
    expect(render("#set($r = $input.path('$.d') / 0)[$r]", body('{"d": 1.00000000000000000000}'))).toBe('[]');
  });

  it('a BigDecimal modulo is an error, as Velocity 1.7 throws ArithmeticException', () => {
    expect(() => render("#set($r = $input.path('$.d') % 2)", body('{"d": 1.00000000000000000000}'))).toThrow(
      /modulo of BigDecimals/,
    );
    expect(() =>
      render("#set($r = $input.path('$.b') % -7)", body('{"b": 123456789012345678901234567890}')),
    ).toThrow(/modulus not positive/);
  });

  it('unary minus keeps the kind', () => {
    expect(render("#set($a = $input.path('$.a'))#set($r = -($a))$r", body('{"a": 2.0}'))).toBe('-2.0');
  });
});

describe('comparison and equality of Java numbers', () => {
  const scope = body(
    '{"price": 3.0, "three": 3, "big": 1234567890123456789, "big2": 1234567890123456788, "dec": 3.00000000000000000000}',
  );
  it.each([
    ["$input.path('$.price') == 3", 'true'],
    ["$input.path('$.price') == $input.path('$.three')", 'true'],
    ["$input.path('$.dec') == 3", 'true'],
    ["$input.path('$.big') > $input.path('$.big2')", 'true'],
    ["$input.path('$.big') == $input.path('$.big2')", 'false'],
    ["$input.path('$.price') == '3.0'", 'true'], // different classes compare by toString
    ["$input.path('$.price') == '3'", 'false'],
    ["$input.path('$.price') < 3.5", 'true'],
  ])('%s is %s', (expr, out) => {
    expect(render(`#if(${expr})true#{else}false#end`, scope)).toBe(out);
  });

  it.each([
    ["$input.path('$.price').equals(3.0)", 'true'],
    ["$input.path('$.price').equals(3)", 'false'], // Double.equals(Integer)
    ["$input.path('$.three').equals(3)", 'true'],
    ["$input.path('$.price').intValue()", '3'],
    ["$input.path('$.price').doubleValue()", '3.0'],
    ["$input.path('$.three').doubleValue()", '3.0'],
    ["$input.path('$.big').intValue()", '2112454933'], // Java's (int) keeps the low 32 bits
    ["$input.path('$.big').longValue()", '1234567890123456789'],
    ["$input.path('$.big').toString()", '1234567890123456789'],
    ["$input.path('$.dec').toString()", '3.00000000000000000000'],
    ["$input.path('$.price').compareTo(2.5)", '1'],
  ])('%s → %s', (expr, out) => {
    expect(render(`${expr.replace(/^\$input/, '$input')}`, scope)).toBe(out);
  });

  it('a list holding 3.0 does not contain the Integer 3 (Java equals)', () => {
    expect(
      render("$input.path('$.l').contains(3) $input.path('$.l').contains(3.0)", body('{"l": [3.0]}')),
    ).toBe('false true');
  });

  it('a Long or Double is not a list index (no get(int) overload for it)', () => {
    const s = body('{"l": ["a", "b"], "one": 1.0}');
    expect(render("[$input.path('$.l').get($input.path('$.one'))]", s)).toBe('[]');
    expect(render("[$input.path('$.l').get(1)]", s)).toBe('[b]');
  });

  it('JSONPath filters compare numbers by decimal value (Jayway BigDecimal)', () => {
    const s = body(
      '{"items": [{"p": 3.0}, {"p": 3}, {"p": 12345678901234567891}, {"p": 12345678901234567890}]}',
    );
    expect(render("$input.json('$.items[?(@.p == 3)]')", s)).toBe('[{"p":3.0},{"p":3}]');
    expect(render("$input.json('$.items[?(@.p > 12345678901234567890)]')", s)).toBe(
      '[{"p":12345678901234567891}]',
    );
  });
});

describe('number properties', () => {
  it('any JSON integer of up to 40 digits round-trips exactly through $input.json and $input.path', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 }),
        (negative, digits) => {
          const n = `${negative ? '-' : ''}${digits.join('').replace(/^0+(?=.)/, '')}`;
          const scope = body(`{"n": ${n}}`);
          const java = n === '-0' ? '0' : n; // json-smart reads -0 as the Integer 0
          expect(render("$input.json('$.n')", scope)).toBe(java);
          expect(render("$input.path('$.n')", scope)).toBe(java);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any JSON double prints as Java would and reads back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = /[.e]/.test(JSON.stringify(d)) ? JSON.stringify(d) : `${d}.0`;
        fc.pre(text.length <= 18); // longer texts are BigDecimals
        const printed = render("$input.json('$.n')", body(`{"n": ${text}}`));
        expect(printed).toMatch(/^-?(\d+\.\d+|\d\.\d+E-?\d+)$/);
        expect(Number(printed)).toBe(Number(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe.each(EXPRESS_VERSIONS)('numbers through a MOCK integration on Express %s', (_v, express) => {
  const api: ApiGatewayOptions = {
    resources: {
      '/n': {
        POST: {
          integration: {
            type: 'MOCK',
            requestTemplates: {
              'application/json': `#set($context.responseOverride.header.X-Id = "$input.json('$.id')")
#set($context.responseOverride.header.X-Half = "#set($h = $input.path('$.price') / 2)$h")
#set($context.responseOverride.header.X-Price = $input.path('$.price'))
#set($context.responseOverride.status = $input.path('$.status'))
{"statusCode": 200}`,
            },
            integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '' } }],
          },
          methodResponses: [{ statusCode: '200' }],
        },
      },
    },
  };

  it('keeps a Long id beyond 2^53 and divides a 3.0 price as a Double', async () => {
    const res = await request(createApp(api, express))
      .post('/prod/n')
      .set('Content-Type', 'application/json')
      .send('{"id": 1234567890123456789, "price": 3.0, "status": 201.0}');
    expect(res.status).toBe(201);
    expect(res.headers['x-price']).toBe('3.0');
    expect(res.headers['x-id']).toBe('1234567890123456789');
    expect(res.headers['x-half']).toBe('1.5');
  });
});
