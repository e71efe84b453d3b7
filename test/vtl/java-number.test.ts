import { javaArithmetic, javaCompare } from '../../src/vtl/java-math.js';
import {
  bigDecimalToString,
  doubleToString,
  floatToString,
  intValue,
  JavaNumber,
  javaNumberToString,
  numberKind,
  parseJsonNumber,
  toJavaJson,
} from '../../src/vtl/java-number.js';

describe('parseJsonNumber: the kinds json-smart (permissive mode) gives JSON numbers', () => {
  it.each([
    ['0', 'Integer', '0'],
    ['-0', 'Integer', '0'],
    ['2147483647', 'Integer', '2147483647'],
    ['2147483648', 'Long', '2147483648'],
    ['-2147483649', 'Long', '-2147483649'],
    ['9007199254740993', 'Long', '9007199254740993'],
    ['9223372036854775807', 'Long', '9223372036854775807'],
    ['9223372036854775808', 'BigInteger', '9223372036854775808'],
    ['-9223372036854775809', 'BigInteger', '-9223372036854775809'],
    ['1.5', 'Double', '1.5'],
    ['3.0', 'Double', '3.0'],
    ['1e3', 'Double', '1000.0'],
    ['123456789.12345678', 'Double', '1.2345678912345678E8'], // 18 characters: still a Double
    ['123456789.123456789', 'BigDecimal', '123456789.123456789'], // 19: BigDecimal
    ['-0.000000000000000001', 'BigDecimal', '-1E-18'],
    ['1.0000000000000000000E+30', 'BigDecimal', '1.0000000000000000000E+30'],
  ])('%s → %s printing %s', (text, kind, printed) => {
    const n = parseJsonNumber(text);
    expect(numberKind(n)).toBe(kind);
    expect(javaNumberToString(n)).toBe(printed);
  });
});

describe("Java's toString of floating-point numbers", () => {
  it.each([
    [3, '3.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1e20, '1.0E20'],
    [1e-5, '1.0E-5'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [9999999.0, '9999999.0'],
    [1e7, '1.0E7'],
    [123456789.0, '1.23456789E8'],
    [-1.5e-10, '-1.5E-10'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '4.9E-324'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [0.1 + 0.2, '0.30000000000000004'],
  ])('Double.toString(%d) = %s', (d, out) => {
    expect(doubleToString(d)).toBe(out);
  });

  it.each([
    [0.1, '0.1'],
    [1 / 3, '0.33333334'],
    [1e10, '1.0E10'],
    [16777217, '1.6777216E7'],
  ])('Float.toString(%d) = %s', (f, out) => {
    expect(floatToString(Math.fround(f))).toBe(out);
  });

  it.each([
    [1n, 0, '1'],
    [15n, -2, '1.5E+3'],
    [100n, 2, '1.00'],
    [1n, 6, '0.000001'],
    [1n, 7, '1E-7'],
    [-123n, 10, '-1.23E-8'],
    [0n, 3, '0.000'],
    [0n, -2, '0E+2'],
  ])('BigDecimal(%s, scale %d).toString() = %s', (unscaled, scale, out) => {
    expect(bigDecimalToString(unscaled, scale)).toBe(out);
  });
});

describe('Velocity 1.7 MathUtils', () => {
  const long = (s: string) => parseJsonNumber(s);
  it.each([
    ['Integer + Integer that fits stays Integer', javaArithmetic('+', 1, 2), 'Integer', '3'],
    ['Integer overflow widens to Long', javaArithmetic('*', 65536, 65536), 'Long', '4294967296'],
    [
      'Long - Long stays Long even when small',
      javaArithmetic('-', long('4294967296'), long('4294967295')),
      'Long',
      '1',
    ],
    [
      'Long overflow becomes BigInteger',
      javaArithmetic('+', long('9223372036854775807'), 1),
      'BigInteger',
      '9223372036854775808',
    ],
    [
      'Long.MIN_VALUE * -1 slips past the overflow check',
      javaArithmetic('*', long('-9223372036854775808'), -1),
      'Long',
      '-9223372036854775808',
    ],
    ['integer division truncates', javaArithmetic('/', -7, 2), 'Integer', '-3'],
    ['Double / Integer', javaArithmetic('/', JavaNumber.double(3), 2), 'Double', '1.5'],
    [
      'BigDecimal / Integer keeps the dividend scale, half down',
      javaArithmetic('/', parseJsonNumber('1.0000000000000000005'), 2),
      'BigDecimal',
      '0.5000000000000000002',
    ],
    [
      'BigDecimal half down ties toward zero',
      javaArithmetic('/', parseJsonNumber('-0.0000000000000000025'), 10),
      'BigDecimal',
      '-2E-19',
    ],
    [
      'BigInteger with a Double is a BigDecimal',
      javaArithmetic('+', long('99999999999999999999'), 0.5),
      'BigDecimal',
      '99999999999999999999.5',
    ],
    ['Float + Integer is a Float', javaArithmetic('+', JavaNumber.floatOf(0.1), 1), 'Float', '1.1'],
    ['Double % Integer', javaArithmetic('%', -7.5, 2), 'Double', '-1.5'],
  ])('%s', (_name, result, kind, printed) => {
    expect(result).toBeDefined();
    expect(numberKind(result as JavaNumber)).toBe(kind);
    expect(javaNumberToString(result as JavaNumber)).toBe(printed);
  });

  it('division and modulo by any zero are null', () => {
    expect(javaArithmetic('/', 1, 0)).toBeUndefined();
    expect(javaArithmetic('%', 1, JavaNumber.double(-0))).toBeUndefined();
    expect(
      javaArithmetic(
        '/',
        parseJsonNumber('1.00000000000000000000'),
        parseJsonNumber('0.00000000000000000000'),
      ),
    ).toBeUndefined();
  });

  it('compares across kinds by value', () => {
    expect(javaCompare(JavaNumber.double(3), 3)).toBe(0);
    expect(javaCompare(long('9007199254740993'), long('9007199254740992'))).toBe(1);
    expect(javaCompare(parseJsonNumber('0.10000000000000000000'), 0.1)).toBe(-1); // 0.1 as a double is a bit more
  });

  it('intValue keeps the low 32 bits of a Long and saturates a Double', () => {
    expect(intValue(long('4294967297'))).toBe(1);
    expect(intValue(JavaNumber.double(1e20))).toBe(2147483647);
  });

  it('writes JSON as json-smart does', () => {
    expect(toJavaJson({ a: [JavaNumber.double(3), 1.5, long('12345678901234567890')], b: 'x' })).toBe(
      '{"a":[3.0,1.5,12345678901234567890],"b":"x"}',
    );
    expect(toJavaJson([JavaNumber.double(Number.POSITIVE_INFINITY), undefined])).toBe('[null,null]');
    expect(toJavaJson({ a: 1 })).toBe('{"a":1}');
  });
});
