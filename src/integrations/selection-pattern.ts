import { javaRegex } from '../vtl/java-regex.js';

/**
 * A `selectionPattern` (a Java regex) as a RegExp that must match the WHOLE string, as Java's
 * `Matcher.matches` does: `four hundred` does not select `Error: four hundred`, `.*four hundred.*`
 * does. Same translation as the templates' `matches()`; Java-only syntax fails at startup.
 */
export function compileSelectionPattern(pattern: string): RegExp {
  return javaRegex(pattern, 'full');
}
