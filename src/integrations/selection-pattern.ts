/**
 * A `selectionPattern` (a Java regex) as a JS RegExp that must match the WHOLE string, as Java's
 * `Matcher.matches` does: `four hundred` does not select `Error: four hundred`, `.*four hundred.*` does.
 * Java's leading inline flags `(?i)`, `(?s)`, `(?m)` become JS flags; other Java-only syntax fails
 * at startup rather than matching differently.
 */
export function compileSelectionPattern(pattern: string): RegExp {
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([ism]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of new Set(inline[1])) flags += flag;
  }
  if (/\\[QEAZzG]|[*+?}]\+/.test(source)) {
    throw new SyntaxError(`Java-only regex syntax is not supported here: ${pattern}`);
  }
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch {
    // Java accepts some escapes the `u` flag rejects (e.g. `\-` outside a class).
    return new RegExp(`^(?:${source})$`, flags.replace('u', ''));
  }
}
