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
 * `==` as in Velocity 1.7 (numbers by value, same types by `equals`, otherwise by `toString`),
 * plus API Gateway's rule that a null reference equals `""`
 * (recorded: localstack test_input_path_template_formatting, `$result == ""` is true for a null path).
 */
export function velocityEquals(left: unknown, right: unknown): boolean {
  const l = left ?? '';
  const r = right ?? '';
  if (typeof l === 'number' && typeof r === 'number') return l === r;
  if (typeof l === typeof r && Array.isArray(l) === Array.isArray(r) && isJavaMap(l) === isJavaMap(r)) {
    return javaEquals(l, r);
  }
  return javaToString(l) === javaToString(r);
}

/** `<`, `<=`, `>`, `>=`: numbers only; anything else is false (Velocity 1.7 logs an error). */
export function velocityCompare(op: string, left: unknown, right: unknown): boolean {
  if (typeof left !== 'number' || typeof right !== 'number') return false;
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

/**
 * `+ - * / %`: integer operands give integer results (`7 / 2` is 3, truncated toward zero);
 * `+` with a string operand concatenates; a null or non-number operand, or a zero divisor,
 * gives null (Velocity 1.7 logs and yields null).
 */
export function velocityArithmetic(
  op: string,
  left: unknown,
  right: unknown,
  decimalOperand = false,
): unknown {
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
    return javaToString(left) + javaToString(right);
  }
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  // JS has one number type: a decimal literal (`7.0`) is the only sign of a Java Double with an integral value
  const integral = !decimalOperand && Number.isInteger(left) && Number.isInteger(right);
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      if (right === 0) return undefined;
      return integral ? Math.trunc(left / right) : left / right;
    case '%':
      if (right === 0) return undefined;
      return left % right;
    default:
      return undefined;
  }
}
