/**
 * Java's boxed numbers as templates see them. A plain JS number stands for the common cases,
 * its kind told by its value: an integer within int range is an `Integer`, any other safe
 * integer a `Long`, a fraction with 1e-3 <= |n| < 1e7 a `Double` (the range where JS and Java
 * print a double alike). Everything else is a `JavaNumber`: integral or exponent-printed
 * Doubles (`3.0`, `1.0E20`), Longs beyond 2^53 (and Longs within int range, which arithmetic
 * on a Long yields), BigInteger, BigDecimal and Float.
 */
import { TemplateRenderError } from './template-errors.js';

export type NumberKind = 'Integer' | 'Long' | 'BigInteger' | 'Float' | 'Double' | 'BigDecimal';

export class JavaNumber {
  private constructor(
    readonly kind: Exclude<NumberKind, 'Integer'>,
    /** Long and BigInteger value; BigDecimal unscaled value. */
    readonly big: bigint,
    /** Double and Float value. */
    readonly float: number,
    /** BigDecimal scale: value = big × 10^-scale. */
    readonly scale: number,
  ) {}

  static long(v: bigint): JavaNumber {
    return new JavaNumber('Long', v, 0, 0);
  }
  static bigInteger(v: bigint): JavaNumber {
    return new JavaNumber('BigInteger', v, 0, 0);
  }
  static double(n: number): JavaNumber {
    return new JavaNumber('Double', 0n, n, 0);
  }
  static floatOf(n: number): JavaNumber {
    return new JavaNumber('Float', 0n, Math.fround(n), 0);
  }
  static bigDecimal(unscaled: bigint, scale: number): JavaNumber {
    return new JavaNumber('BigDecimal', unscaled, 0, scale);
  }

  /** Java's text, for code outside the templates that reads a value with `String(x)` (override headers). */
  toString(): string {
    return javaNumberToString(this);
  }

  /** `doubleValue()`, for code outside the templates that reads a value with `Number(x)` (override status). */
  valueOf(): number {
    return doubleValue(this);
  }

  /** A marked string that `toJavaJson` replaces with the number's JSON text. */
  toJSON(): string {
    marked++;
    return `${JSON_MARK}${javaNumberToJson(this)}`;
  }
}

export type JavaNumeric = number | JavaNumber;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

export function isJavaNumber(value: unknown): value is JavaNumeric {
  return typeof value === 'number' || value instanceof JavaNumber;
}

/** A Java `Integer`: what a method taking an `int` accepts (Velocity 1.7 IntrospectionUtils allows no Long or Double). */
export function isJavaInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX;
}

export function numberKind(n: JavaNumeric): NumberKind {
  if (typeof n !== 'number') return n.kind;
  if (!Number.isInteger(n)) return 'Double';
  return n >= INT_MIN && n <= INT_MAX ? 'Integer' : 'Long';
}

export function isIntegral(kind: NumberKind): boolean {
  return kind === 'Integer' || kind === 'Long' || kind === 'BigInteger';
}

/** An `int` result. */
export function makeInteger(n: number): number {
  return n | 0;
}

/** A `Long` result: a plain number where that reads back as a Long, else boxed. */
export function makeLong(v: bigint): JavaNumeric {
  const wrapped = BigInt.asIntN(64, v);
  if (wrapped > -SAFE_MAX && wrapped < SAFE_MAX) {
    const n = Number(wrapped);
    if (n < INT_MIN || n > INT_MAX) return n;
  }
  return JavaNumber.long(wrapped);
}

/** A `Double` result: plain when JS prints it as Java does, boxed otherwise. */
export function makeDouble(n: number): JavaNumeric {
  if (!Number.isInteger(n) && Number.isFinite(n)) {
    const abs = Math.abs(n);
    if (abs >= 1e-3 && abs < 1e7) return n;
  }
  return JavaNumber.double(n);
}

/** Integral result of Velocity's long arithmetic: `Integer` if the wider operand is one and it fits, else `Long`. */
export function makeIntegral(v: bigint, kind: 'Integer' | 'Long'): JavaNumeric {
  if (kind === 'Integer' && v >= BigInt(INT_MIN) && v <= BigInt(INT_MAX)) return Number(v);
  return makeLong(v);
}

export function makeBigInteger(v: bigint): JavaNumber {
  return JavaNumber.bigInteger(v);
}

/** `Number.doubleValue()`. */
export function doubleValue(n: JavaNumeric): number {
  if (typeof n === 'number') return n;
  switch (n.kind) {
    case 'Double':
    case 'Float':
      return n.float;
    case 'BigDecimal':
      return Number(bigDecimalToString(n.big, n.scale));
    default:
      return Number(n.big);
  }
}

/** Java's `(long)` of a double: truncation, saturating, NaN → 0. */
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 2 ** 63) return LONG_MAX;
  if (d <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** `Number.longValue()`: BigInteger and BigDecimal keep the low 64 bits, doubles saturate. */
export function longValue(n: JavaNumeric): bigint {
  if (typeof n === 'number') return Number.isInteger(n) ? BigInt(n) : doubleToLong(n);
  switch (n.kind) {
    case 'Double':
    case 'Float':
      return doubleToLong(n.float);
    case 'BigDecimal':
      return bigDecimalLowBits(n.big, n.scale);
    default:
      return BigInt.asIntN(64, n.big);
  }
}

/** `Number.intValue()`: `(int)` of the long for integers (low 32 bits), saturating for doubles. */
export function intValue(n: JavaNumeric): number {
  const kind = numberKind(n);
  if (kind === 'Double' || kind === 'Float') {
    const d = doubleValue(n);
    if (Number.isNaN(d)) return 0;
    return Math.max(INT_MIN, Math.min(INT_MAX, Math.trunc(d)));
  }
  if (typeof n === 'number') return n | 0;
  const whole = n.kind === 'BigDecimal' ? bigDecimalLowBits(n.big, n.scale) : n.big;
  return Number(BigInt.asIntN(32, whole));
}

/** Exact integer value of an integral kind (`toBigInteger` in MathUtils, after its kind check). */
export function bigIntegerValue(n: JavaNumeric): bigint {
  if (typeof n === 'number') return BigInt(n);
  return n.kind === 'BigInteger' ? n.big : longValue(n);
}

export interface Decimal {
  unscaled: bigint;
  scale: number;
}

/**
 * MathUtils.toBigDecimal: a BigDecimal as is, a BigInteger exactly, anything else through
 * `new BigDecimal(n.doubleValue())`, the exact binary value of the double (so a Long beyond
 * 2^53 is rounded first, and 0.1 becomes 0.1000000000000000055511151231257827021181583404541015625).
 */
export function toDecimal(n: JavaNumeric): Decimal {
  if (typeof n !== 'number') {
    if (n.kind === 'BigDecimal') return { unscaled: n.big, scale: n.scale };
    if (n.kind === 'BigInteger') return { unscaled: n.big, scale: 0 };
  }
  return exactDecimal(doubleValue(n));
}

/** `new BigDecimal(double)`: the exact value, with the smallest scale that holds it. */
function exactDecimal(d: number): Decimal {
  if (!Number.isFinite(d)) throw new TemplateRenderError(`NumberFormatException: Infinite or NaN`);
  if (Number.isInteger(d)) return { unscaled: BigInt(d), scale: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent: number;
  if (exponentBits === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  while ((mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  // d = mantissa × 2^exponent with exponent < 0 = mantissa × 5^-exponent / 10^-exponent
  const unscaled = mantissa * 5n ** BigInt(-exponent);
  return { unscaled: d < 0 ? -unscaled : unscaled, scale: -exponent };
}

/** The low 64 bits of a BigDecimal's integer part: 10^k for k >= 64 has none, so no 10^k is built. */
function bigDecimalLowBits(unscaled: bigint, scale: number): bigint {
  return scale <= -64 ? 0n : BigInt.asIntN(64, bigDecimalToBigInt(unscaled, scale));
}

function bigDecimalToBigInt(unscaled: bigint, scale: number): bigint {
  if (scale <= 0) return unscaled * pow10(-scale);
  // More fraction digits than the value has: the integer part is 0.
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  return scale > digits ? 0n : unscaled / pow10(scale);
}

/** `BigDecimal.toString()`: plain when the scale is >= 0 and the adjusted exponent >= -6, else scientific. */
export function bigDecimalToString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? '-' : '';
  const adjusted = digits.length - 1 - scale;
  if (scale === 0) return sign + digits;
  if (scale > 0 && adjusted >= -6) {
    if (digits.length > scale)
      return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(-scale)}`;
    return `${sign}0.${'0'.repeat(scale - digits.length)}${digits}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/**
 * Java's `Double.toString`: decimal with at least one fraction digit for 1e-3 <= |d| < 1e7,
 * otherwise `d.dddE±n` without `+`; the shortest digits that read back (as JS), except that a
 * one-digit answer becomes the closest two-digit one (`4.9E-324`, not `5.0E-324`), as the
 * JDK 19+ specification of Double.toString states.
 */
export function doubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(d) ? `${d}.0` : String(d); // JS prints this range alike
  const shortest = d.toExponential();
  return formatJavaFloating(d, shortest.includes('.') ? shortest : d.toExponential(1));
}

/** Java's `Float.toString`: as `Double.toString`, with the shortest digits that read back as the same float. */
export function floatToString(f: number): string {
  if (Number.isNaN(f) || !Number.isFinite(f) || f === 0) return doubleToString(f);
  for (let precision = 1; precision < 17; precision++) {
    const text = f.toExponential(Math.max(precision - 1, 1));
    if (Math.fround(Number(text)) === f) return formatJavaFloating(f, text);
  }
  return doubleToString(f);
}

/** Lays out `exponential` (JS `toExponential` text of d) the way Java's Double/Float.toString do. */
function formatJavaFloating(d: number, exponential: string): string {
  const [mantissa, exp] = exponential.split('e');
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const negative = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    const e = Number(exp);
    let text: string;
    if (e >= 0) {
      const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const fraction = digits.slice(e + 1).replace(/(?<=.)0+$/, '') || '0';
      text = `${whole}.${fraction}`;
    } else {
      text = `0.${'0'.repeat(-e - 1)}${digits.replace(/(?<=.)0+$/, '')}`;
    }
    return negative ? `-${text}` : text;
  }
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.replace('+', '')}`;
}

/**
 * What Java's `toString` prints for the number: digits for Integer/Long/BigInteger,
 * `Double.toString` (`3.0`, `1.0E20`), `Float.toString`, `BigDecimal.toString`.
 * @example javaNumberToString(JavaNumber.double(3)) // → '3.0'
 */
export function javaNumberToString(n: JavaNumeric): string {
  if (typeof n === 'number') {
    if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
    return doubleToString(n);
  }
  switch (n.kind) {
    case 'Double':
      return doubleToString(n.float);
    case 'Float':
      return floatToString(n.float);
    case 'BigDecimal':
      return bigDecimalToString(n.big, n.scale);
    default:
      return n.big.toString();
  }
}

/** json-smart's JSON text of a number: `toString`, except an infinite Double or Float is `null` (JsonWriter). */
export function javaNumberToJson(n: JavaNumeric): string {
  if (typeof n !== 'number' && (n.kind === 'Double' || n.kind === 'Float') && !Number.isFinite(n.float)) {
    return Number.isNaN(n.float) ? 'NaN' : 'null';
  }
  return javaNumberToString(n);
}

// A string no payload is expected to hold; `toJavaJson` still checks that each mark it replaces was one of ours.
const NONCE = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const JSON_MARK = `\u0001${NONCE}:`;
const MARKED = new RegExp(`"\\\\u0001${NONCE}:([^"]*)"`, 'g');
let marked = 0;

/**
 * JSON text as json-smart writes it: `JSON.stringify`, with each boxed number's text put in
 * place of the marked string its `toJSON` gave (plain numbers already print as Java's).
 * @example toJavaJson({ a: JavaNumber.double(3) }) // → '{"a":3.0}'
 */
export function toJavaJson(value: unknown): string | undefined {
  marked = 0;
  const text = JSON.stringify(value);
  if (marked === 0 || text === undefined) return text;
  let replaced = 0;
  const out = text.replace(MARKED, (_, number: string) => {
    replaced++;
    return number;
  });
  // a payload string that imitates a mark: write the value the slow way
  return replaced === marked ? out : writeJson(value, 0);
}

const MAX_DEPTH = 1000;

/** As `JSON.stringify` (own enumerable keys; undefined and functions skipped or `null` in arrays), numbers the Java way. */
function writeJson(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TemplateRenderError('value nested too deeply to write as JSON');
  if (value instanceof JavaNumber) return javaNumberToJson(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + writeJson(value[i], depth + 1);
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${writeJson(child, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * The number json-smart's permissive parser (Jayway's JsonSmartJsonProvider) makes of a JSON
 * number: Integer when it fits, else Long, else BigInteger; a decimal or exponent form is a
 * Double, or a BigDecimal when its text is longer than 18 characters.
 * (json-smart JSONParserBase.parseNumber / extractFloat with USE_HI_PRECISION_FLOAT and BIG_DIGIT_UNRESTRICTED)
 * @example parseJsonNumber('3.0') // → JavaNumber Double 3.0
 */
export function parseJsonNumber(text: string): JavaNumeric {
  let integral = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e || c === 0x65 || c === 0x45) {
      integral = false;
      break;
    }
  }
  if (integral) {
    if (text.length < 16) return Number(text) || 0; // `-0` is Integer 0
    const v = BigInt(text);
    if (v >= LONG_MIN && v <= LONG_MAX) return makeLong(v);
    return makeBigInteger(v);
  }
  if (text.length > 18) return parseBigDecimal(text);
  return makeDouble(Number(text));
}

/** `new BigDecimal(text)` for JSON number text. */
export function parseBigDecimal(text: string): JavaNumber {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) throw new SyntaxError(`not a number: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const unscaled = BigInt(`${sign}${whole}${fraction}` || '0');
  return JavaNumber.bigDecimal(unscaled, fraction.length - Number(exponent));
}

/**
 * Java `equals` between numbers: same class and value; Double by bits (NaN equals NaN, 0.0
 * differs from -0.0), BigDecimal by value and scale (2.0 differs from 2.00).
 */
export function javaNumberEquals(a: JavaNumeric, b: JavaNumeric): boolean {
  const kind = numberKind(a);
  if (kind !== numberKind(b)) return false;
  switch (kind) {
    case 'Double':
    case 'Float':
      return Object.is(doubleValue(a), doubleValue(b));
    case 'BigDecimal':
      return (
        (a as JavaNumber).big === (b as JavaNumber).big && (a as JavaNumber).scale === (b as JavaNumber).scale
      );
    default:
      return bigIntegerValue(a) === bigIntegerValue(b);
  }
}

/**
 * Exact comparison of two decimals, -1, 0 or 1 (`BigDecimal.compareTo`). Signs and orders of
 * magnitude decide first, so a client's `1e99999999` is compared without writing out its digits.
 */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const sa = a.unscaled < 0n ? -1 : a.unscaled > 0n ? 1 : 0;
  const sb = b.unscaled < 0n ? -1 : b.unscaled > 0n ? 1 : 0;
  if (sa !== sb || sa === 0) return Math.sign(sa - sb);
  const ea = magnitude(a);
  const eb = magnitude(b);
  if (ea !== eb) return ea > eb ? sa : -sa;
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(scale - a.scale);
  const y = b.unscaled * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The decimal exponent of the leading digit (BigDecimal's adjusted exponent). */
function magnitude(d: Decimal): number {
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
  return digits - 1 - d.scale;
}

/**
 * Digits one value may be widened to. Java would build a `10^k` of any size, taking minutes and
 * gigabytes for a client's `1.0000000000000000000e99999999 + 1`; past this the render fails (a 500).
 */
export const MAX_DECIMAL_DIGITS = 10_000;
const POW10 = new Map<number, bigint>();

/** `10^k` for a scale adjustment, refused when it would make a number of more than MAX_DECIMAL_DIGITS digits. */
export function pow10(k: number): bigint {
  if (k > MAX_DECIMAL_DIGITS) {
    throw new TemplateRenderError(
      `BigDecimal arithmetic needs ${k} digits (more than ${MAX_DECIMAL_DIGITS})`,
    );
  }
  let p = POW10.get(k);
  if (p === undefined) {
    p = 10n ** BigInt(k);
    if (POW10.size < 256) POW10.set(k, p);
  }
  return p;
}

/** The decimal a number prints as (Jayway compares filter numbers as `new BigDecimal(n.toString())`). */
export function printedDecimal(n: JavaNumeric): Decimal | undefined {
  const text = javaNumberToString(n);
  if (!/^-?\d/.test(text)) return undefined; // NaN, Infinity
  const { big, scale } = parseBigDecimal(text);
  return { unscaled: big, scale };
}

/** Whether a comparison result (-1, 0, 1) satisfies `op` (`==`, `!=`, `<`, `<=`, `>`, `>=`). */
export function satisfies(op: string, c: number): boolean {
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}
