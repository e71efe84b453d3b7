import fc from 'fast-check';
import { parse as parseLossless } from 'lossless-json';
import { parseJsonNumber } from '../../src/vtl/java-number.js';
import { isJsonArray, parseJsonValue } from '../../src/vtl/json-value.js';

const lossless = (text: string) =>
  parseLossless(text, null, {
    parseNumber: parseJsonNumber,
    onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
  });

// JSON number tokens of every shape json-smart tells apart: Integer, Long, BigInteger, Double, BigDecimal.
const numberToken = fc.oneof(
  fc.integer().map(String),
  // every digit count, so the 15/16/17-digit edges come up
  fc
    .integer({ min: 1, max: 30 })
    .chain((d) => fc.bigInt({ min: -(10n ** BigInt(d)), max: 10n ** BigInt(d) }))
    .map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat(99999), fc.integer({ min: -400, max: 400 }))
    .map(([i, f, e]) => `${i}.${f}e${e}`),
  fc.constantFrom(
    '3.0',
    '-0',
    '-0.0',
    '0.5',
    '1e2',
    '1E-3',
    '0.001',
    '9999999.5',
    '10000000.5',
    '123456789012345.67',
    '1.0000000000000000001',
  ),
);
const jsonText: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    numberToken,
    fc.string().map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null', '"a\\"1.5"', '"\\\\"'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.string({ maxLength: 4 }), tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value as fc.Arbitrary<string>;

describe('parseJsonValue', () => {
  it('gives what the number-preserving parser gives, whichever parser it picks', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expect(parseJsonValue(text, 'The payload')).toEqual(lossless(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '0.001',
    '0.0009',
    '0.0001234',
    '-0.0005',
    '0.01',
    '9999999.5',
    '10000000.5',
    '-9999999.99',
    '1.5',
    '123456789012345.67',
    '12345678901234567.5',
    '1.00000000000000001',
    '3.0',
    '-0',
    '0',
    '1e2',
    '0.5e1',
    '9007199254740993',
    '900719925474099',
    '-900719925474099',
  ])('reads %s in an array as the lossless parse does', (token) => {
    expect(parseJsonValue(`[${token}]`, 'x')).toEqual(lossless(`[${token}]`));
  });

  it('marks every array as a JSON array', () => {
    const value = parseJsonValue('{"a":[1,[2.0,{"b":[]}]],"c":[0.5]}', 'x') as { a: unknown[]; c: unknown[] };
    expect(isJsonArray(value.a)).toBe(true);
    expect(isJsonArray(value.a[1] as unknown[])).toBe(true);
    expect(isJsonArray(value.c)).toBe(true);
  });
});
