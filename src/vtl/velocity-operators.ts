import { javaArithmetic, javaCompare } from './java-math.js';
import { isJavaNumber, JavaNumber, satisfies } from './java-number.js';
import { isJavaMap, javaEquals, javaToString } from './java-value.js';

/**
 * Velocity 1.7 operator semantics over template values (velocityjs uses JS's).
 */

/**
 * `#if` truthiness of Velocity 1.7: only null and `false` are false; `""` and `0` are true.
 * (API Gateway users guard with `#if($x && $x.length() != 0)` because `#if("")` is true:
 * https://qiita.com/hellscare/items/e0ba2e971be71f49ad54)
 */
export function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/**
 * `==` as in Velocity 1.7 (numbers by MathUtils.compare, so `3.0 == 3`; same types by `equals`,
 * otherwise by `toString`, so Double `3.0 == "3.0"`; ASTEQNode),
 * plus API Gateway's rule that a null reference equals `""`
 * (recorded: localstack test_input_path_template_formatting, `$result == ""` is true for a null path).
 */
export function velocityEquals(left: unknown, right: unknown): boolean {
  const l = left ?? '';
  const r = right ?? '';
  if (isJavaNumber(l) && isJavaNumber(r)) return javaCompare(l, r) === 0;
  if (l instanceof JavaNumber || r instanceof JavaNumber) return javaToString(l) === javaToString(r);
  if (typeof l === typeof r && Array.isArray(l) === Array.isArray(r) && isJavaMap(l) === isJavaMap(r)) {
    return javaEquals(l, r);
  }
  return javaToString(l) === javaToString(r);
}

/** `<`, `<=`, `>`, `>=`: numbers only, by MathUtils.compare; anything else is false (Velocity 1.7 logs an error). */
export function velocityCompare(op: string, left: unknown, right: unknown): boolean {
  if (!isJavaNumber(left) || !isJavaNumber(right)) return false;
  return satisfies(op, javaCompare(left, right));
}

/**
 * `+ - * / %` with Velocity 1.7's MathUtils (see java-math.ts): `7 / 2` is 3, `7.0 / 2` is 3.5;
 * `+` with a string operand concatenates (ASTAddNode); a null or non-number operand, or a zero
 * divisor, gives null (Velocity 1.7 logs and yields null).
 */
export function velocityArithmetic(op: string, left: unknown, right: unknown): unknown {
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
    return javaToString(left) + javaToString(right);
  }
  if (!isJavaNumber(left) || !isJavaNumber(right)) return undefined;
  return javaArithmetic(op, left, right);
}
