import { compileSafeRegex, type SafeRegex } from '../validation/safe-regex.js';
import { JAVA_END, javaRegex, translateJavaRegex } from '../vtl/java-regex.js';

/**
 * A TOKEN authorizer's `identityValidationExpression` (a Java regex the whole token must match,
 * as `String.matches()`) compiled once to run on RE2: a client's token can never make it
 * backtrack (`^(a+)+$` took seconds on 27 characters on a backtracking engine). Throws for a
 * pattern Java would refuse and for one RE2 cannot run (a backreference, a lookahead past the start).
 * @example compileIdentityValidation('^Bearer [-0-9a-zA-Z._]+$').test('Bearer abc') // true
 */
export function compileIdentityValidation(expression: string): SafeRegex {
  javaRegex(expression, 'full'); // Java's syntax, with the Java-only forms refused by name
  const { source, flags } = translateJavaRegex(expression);
  return compileSafeRegex(source, flags, 'full', { javaEnd: JAVA_END });
}
