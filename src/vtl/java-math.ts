import {
  bigIntegerValue,
  compareDecimals,
  type Decimal,
  doubleValue,
  isIntegral,
  JavaNumber,
  type JavaNumeric,
  longValue,
  MAX_DECIMAL_DIGITS,
  makeBigInteger,
  makeDouble,
  makeIntegral,
  type NumberKind,
  numberKind,
  pow10,
  toDecimal,
} from './java-number.js';
import { TemplateRenderError } from './template-errors.js';

/**
 * Velocity 1.7's `org.apache.velocity.runtime.parser.node.MathUtils`: the operand kinds pick a
 * calculation base (findCalculationBase), long arithmetic promotes to BigInteger on overflow,
 * and a long result takes the wider operand's type when it fits (wrapPrimitive).
 */

type Base = 'long' | 'BigInteger' | 'float' | 'double' | 'BigDecimal';

function calculationBase(a: NumberKind, b: NumberKind): Base {
  const aInt = isIntegral(a);
  const bInt = isIntegral(b);
  if (
    a === 'BigDecimal' ||
    b === 'BigDecimal' ||
    ((!aInt || !bInt) && (a === 'BigInteger' || b === 'BigInteger'))
  ) {
    return 'BigDecimal';
  }
  if (aInt && bInt) return a === 'BigInteger' || b === 'BigInteger' ? 'BigInteger' : 'long';
  return a === 'Double' || b === 'Double' ? 'double' : 'float';
}

/** wrapPrimitive: the larger of the two types (Integer < Long), widened further if the value needs it. */
function wrapLong(v: bigint, a: NumberKind, b: NumberKind): JavaNumeric {
  return makeIntegral(v, a === 'Long' || b === 'Long' ? 'Long' : 'Integer');
}

const LONG_MIN = -(2n ** 63n);
const fitsLong = (v: bigint) => BigInt.asIntN(64, v) === v;

function bigDecimal({ unscaled, scale }: Decimal): JavaNumber {
  return JavaNumber.bigDecimal(unscaled, scale);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.unscaled * pow10(scale - a.scale), b.unscaled * pow10(scale - b.scale), scale];
}

/** `BigDecimal.divide(divisor, ROUND_HALF_DOWN)`: the quotient at the dividend's scale, ties toward zero. */
function divideHalfDown(a: Decimal, b: Decimal): Decimal {
  let num = a.unscaled;
  let den = b.unscaled;
  if (b.scale >= 0) num *= pow10(b.scale);
  else den *= pow10(-b.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let q = num / den;
  const twiceRest = 2n * (num % den);
  const absTwiceRest = twiceRest < 0n ? -twiceRest : twiceRest;
  if (absTwiceRest > den) q += num < 0n ? -1n : 1n;
  return { unscaled: q, scale: a.scale };
}

function isZero(n: JavaNumeric, kind: NumberKind): boolean {
  if (kind === 'BigDecimal') return (n as JavaNumber).big === 0n;
  if (kind === 'BigInteger') return (n as JavaNumber).big === 0n;
  return doubleValue(n) === 0;
}

/**
 * `a op b` for `+ - * / %` on two Java numbers. Division or modulo by zero is null (Velocity
 * logs and yields null, ASTDivNode/ASTModNode); a BigDecimal modulo, and a BigInteger modulo
 * by a negative number, throw ArithmeticException as in Java.
 * @example javaArithmetic('/', JavaNumber.double(3), 2) // → 1.5
 */
export function javaArithmetic(op: string, a: JavaNumeric, b: JavaNumeric): JavaNumeric | undefined {
  const ka = numberKind(a);
  const kb = numberKind(b);
  if ((op === '/' || op === '%') && isZero(b, kb)) return undefined;
  switch (calculationBase(ka, kb)) {
    case 'long':
      return longArithmetic(op, longValue(a), longValue(b), ka, kb);
    case 'BigInteger':
      return bigIntegerArithmetic(op, bigIntegerValue(a), bigIntegerValue(b));
    case 'double':
      return makeDouble(floating(op, doubleValue(a), doubleValue(b)));
    case 'float':
      return JavaNumber.floatOf(floating(op, Math.fround(doubleValue(a)), Math.fround(doubleValue(b))));
    default:
      return decimalArithmetic(op, toDecimal(a), toDecimal(b));
  }
}

function floating(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    default:
      return x % y; // Java's % on doubles is C's fmod, as JS's
  }
}

function longArithmetic(op: string, x: bigint, y: bigint, ka: NumberKind, kb: NumberKind): JavaNumeric {
  let exact: bigint;
  switch (op) {
    case '+':
      exact = x + y;
      break;
    case '-':
      exact = x - y;
      break;
    case '*':
      // MathUtils detects overflow by `result / l2 != l1`, which misses Long.MIN_VALUE × -1
      if (y === -1n && x === LONG_MIN) return wrapLong(LONG_MIN, ka, kb);
      exact = x * y;
      break;
    case '/':
      return wrapLong(BigInt.asIntN(64, x / y), ka, kb); // truncates; MIN / -1 wraps as in Java
    default:
      return wrapLong(x % y, ka, kb);
  }
  return fitsLong(exact) ? wrapLong(exact, ka, kb) : makeBigInteger(exact);
}

const MAX_MAGNITUDE = 10n ** BigInt(MAX_DECIMAL_DIGITS);

/** A product of more than MAX_DECIMAL_DIGITS digits: repeated squaring would grow without end. */
function boundedProduct(x: bigint, y: bigint): bigint {
  const p = x * y;
  if (p > MAX_MAGNITUDE || p < -MAX_MAGNITUDE) {
    throw new TemplateRenderError(`product of more than ${MAX_DECIMAL_DIGITS} digits`);
  }
  return p;
}

/** BigDecimal's scale is a Java int: past it, ArithmeticException (Overflow / Underflow). */
function checkedScale(scale: number): number {
  if (scale > 2147483647) throw new TemplateRenderError('ArithmeticException: Underflow');
  if (scale < -2147483648) throw new TemplateRenderError('ArithmeticException: Overflow');
  return scale;
}

function bigIntegerArithmetic(op: string, x: bigint, y: bigint): JavaNumber {
  switch (op) {
    case '+':
      return makeBigInteger(x + y);
    case '-':
      return makeBigInteger(x - y);
    case '*':
      return makeBigInteger(boundedProduct(x, y));
    case '/':
      return makeBigInteger(x / y);
    default: {
      // BigInteger.mod: never negative, and the modulus must be positive
      if (y < 0n) throw new TemplateRenderError('ArithmeticException: BigInteger: modulus not positive');
      const r = x % y;
      return makeBigInteger(r < 0n ? r + y : r);
    }
  }
}

function decimalArithmetic(op: string, a: Decimal, b: Decimal): JavaNumber {
  switch (op) {
    case '+':
    case '-': {
      const [x, y, scale] = align(a, b);
      return bigDecimal({ unscaled: op === '+' ? x + y : x - y, scale });
    }
    case '*':
      return bigDecimal({
        unscaled: boundedProduct(a.unscaled, b.unscaled),
        scale: checkedScale(a.scale + b.scale),
      });
    case '/':
      return bigDecimal(divideHalfDown(a, b));
    default:
      throw new TemplateRenderError('ArithmeticException: Cannot calculate the modulo of BigDecimals.');
  }
}

/**
 * MathUtils.compare: -1, 0 or 1 in the operands' calculation base (so NaN compares equal to
 * everything, as its `<` and `>` are both false).
 */
export function javaCompare(a: JavaNumeric, b: JavaNumeric): number {
  const ka = numberKind(a);
  const kb = numberKind(b);
  switch (calculationBase(ka, kb)) {
    case 'long':
    case 'BigInteger': {
      const x = bigIntegerValue(a);
      const y = bigIntegerValue(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'double':
    case 'float': {
      const float = calculationBase(ka, kb) === 'float';
      const x = float ? Math.fround(doubleValue(a)) : doubleValue(a);
      const y = float ? Math.fround(doubleValue(b)) : doubleValue(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return compareDecimals(toDecimal(a), toDecimal(b));
  }
}

/** Unary minus (Velocity 1.7 has only negative literals; velocityjs allows `-$x`): `0 - x` in x's own kind. */
export function javaNegate(n: JavaNumeric): JavaNumeric | undefined {
  switch (numberKind(n)) {
    case 'Double':
      return makeDouble(-doubleValue(n));
    case 'Float':
      return JavaNumber.floatOf(-doubleValue(n));
    case 'BigDecimal':
      return JavaNumber.bigDecimal(-(n as JavaNumber).big, (n as JavaNumber).scale);
    case 'BigInteger':
      return makeBigInteger(-(n as JavaNumber).big);
    default:
      return javaArithmetic('*', n, -1);
  }
}
