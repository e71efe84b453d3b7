import { TemplateRenderError } from './template-errors.js';

/**
 * Java regular expressions (`String.matches/replaceAll/replaceFirst/split`) translated to JS
 * `RegExp` with the `u` flag, cached by pattern. Java-only syntax JS cannot express the same
 * way (possessive quantifiers, atomic groups, class intersections, `\G`, comments mode, scoped
 * inline flags) is a render error rather than a silent mismatch.
 */

/** Template-supplied patterns run on request data: a length cap keeps them from being a DoS lever. */
export const MAX_PATTERN_LENGTH = 1000;

export type RegexUse = 'find' | 'global' | 'full';

const CACHE_LIMIT = 500;
const cache = new Map<string, RegExp>();

/**
 * The JS `RegExp` behaving like Java's `Pattern.compile(pattern)`: `find` for one search,
 * `global` for replaceAll/split (callers reset `lastIndex`), `full` for `matches()`.
 * @example javaRegex('a\\.b', 'full').test('a.b') // → true
 */
export function javaRegex(pattern: string, use: RegexUse): RegExp {
  const key = `${use}:${pattern}`;
  let regex = cache.get(key);
  if (regex === undefined) {
    if (pattern.length > MAX_PATTERN_LENGTH) {
      throw new TemplateRenderError(`regular expression longer than ${MAX_PATTERN_LENGTH} characters`);
    }
    const { source, flags } = translateJavaRegex(pattern);
    const body = use === 'full' ? `(?<![\\s\\S])(?:${source})(?![\\s\\S])` : source;
    try {
      regex = new RegExp(body, use === 'global' ? `${flags}g` : flags);
    } catch (error) {
      throw new TemplateRenderError(`invalid regular expression /${pattern}/: ${(error as Error).message}`);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}

// Java's line terminators (`.` excludes them, `$` may stop before one) include U+0085.
const LINE_TERMINATOR = '\\n\\r\\x85\\u2028\\u2029';
export const JAVA_END = `(?=(?:\\r\\n|[${LINE_TERMINATOR}])?(?![\\s\\S]))`;
const SYNTAX_CHARS = new Set([
  '^',
  '$',
  '\\',
  '.',
  '*',
  '+',
  '?',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '|',
  '/',
  '-',
]);

/** Class contents, usable both inside `[...]` and wrapped in brackets. */
const CLASS_ESCAPES: Record<string, string> = {
  s: '\\t-\\r ',
  h: ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000',
  v: '\\n\\x0B\\f\\r\\x85\\u2028\\u2029',
};

const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E',
  Graph: '\\x21-\\x7E',
  Print: '\\x20-\\x7E',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: '\\t-\\r ',
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: '\\t-\\r\\x1C-\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000',
};

function unsupported(pattern: string, what: string): TemplateRenderError {
  return new TemplateRenderError(`unsupported Java regular expression /${pattern}/: ${what}`);
}

/** `\-` is only valid inside a class under the `u` flag. */
function escapeChar(c: string, inClass: boolean): string {
  return SYNTAX_CHARS.has(c) && (c !== '-' || inClass) ? `\\${c}` : c;
}

function escapeLiteral(text: string, inClass: boolean): string {
  let out = '';
  for (const c of text) out += escapeChar(c, inClass);
  return out;
}

function codePointEscape(code: number): string {
  return `\\u{${code.toString(16)}}`;
}

// Names come from patterns a template may build from request data: keep the memo bounded.
const MAX_MEMOISED_PROPERTIES = 512;
const propertyValidity = new Map<string, boolean>();
function isJsProperty(name: string): boolean {
  let ok = propertyValidity.get(name);
  if (ok === undefined) {
    try {
      new RegExp(`\\p{${name}}`, 'u');
      ok = true;
    } catch {
      ok = false;
    }
    if (propertyValidity.size >= MAX_MEMOISED_PROPERTIES) propertyValidity.clear();
    propertyValidity.set(name, ok);
  }
  return ok;
}

/** How many property names are memoised now (bounded by MAX_MEMOISED_PROPERTIES). */
export function memoisedPropertyCount(): number {
  return propertyValidity.size;
}

/** `\p{Name}` → JS: POSIX names become ASCII ranges, `IsX` a property or script, the rest as is. */
function translateProperty(pattern: string, name: string, negated: boolean, inClass: boolean): string {
  const posix = POSIX_CLASSES[name] ?? POSIX_CLASSES[name.replace(/^Is/, '')];
  if (posix !== undefined) {
    if (!negated) return inClass ? posix : `[${posix}]`;
    if (inClass) throw unsupported(pattern, `\\P{${name}} inside a character class`);
    return `[^${posix}]`;
  }
  const p = negated ? 'P' : 'p';
  const bare = name.startsWith('Is') ? name.slice(2) : name;
  if (isJsProperty(bare)) return `\\${p}{${bare}}`;
  if (name.startsWith('Is') && isJsProperty(`Script=${bare}`)) return `\\${p}{Script=${bare}}`;
  throw unsupported(pattern, `\\${p}{${name}}`);
}

interface Translation {
  source: string;
  flags: string;
}

/** Exported for tests: the JS source and flags for a Java pattern. */
export function translateJavaRegex(pattern: string): Translation {
  let flags = 'u';
  let i = 0;
  // Leading inline flags (`(?i)`, `(?is)`…) become RegExp flags; elsewhere JS (Node 20) lacks them.
  for (
    let m = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
    m !== null;
    m = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i))
  ) {
    for (const f of m[1]) {
      if (f === 'i' || f === 'm' || f === 's') {
        if (!flags.includes(f)) flags += f;
      } else if (f !== 'u' && f !== 'd' && f !== 'U') {
        throw unsupported(pattern, `inline flag (?${f})`);
      }
    }
    i += m[0].length;
  }
  const dotAll = flags.includes('s');
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  let classStart = false;

  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, inClass);
      out += text;
      i = next;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === '[') throw unsupported(pattern, 'nested character class');
      if (c === '&' && pattern[i + 1] === '&')
        throw unsupported(pattern, 'character class intersection (&&)');
      if (c === ']' && !classStart) inClass = false;
      out += c === ']' && classStart ? '\\]' : c;
      classStart = false;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        i++;
        if (pattern[i] === '^') {
          out += '^';
          i++;
        }
        classStart = true;
        continue;
      case '(':
        if (pattern[i + 1] === '?') {
          const head = pattern.slice(i, i + 4);
          if (head.startsWith('(?>')) throw unsupported(pattern, 'atomic group (?>…)');
          if (!/^\(\?(?::|=|!|<=|<!|<[a-zA-Z])/.test(head)) {
            throw unsupported(pattern, 'inline flags inside the pattern');
          }
        }
        out += c;
        i++;
        break;
      case '.':
        out += dotAll ? '[\\s\\S]' : `[^${LINE_TERMINATOR}]`;
        i++;
        break;
      case '$':
        out += multiline ? '$' : JAVA_END;
        i++;
        break;
      case ']':
      case '}':
        out += `\\${c}`;
        i++;
        break;
      case '{': {
        const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i, i + 24));
        if (quantifier === null) throw unsupported(pattern, `illegal repetition at ${i}`);
        out += quantifier[0];
        i += quantifier[0].length;
        break;
      }
      default:
        out += c;
        i++;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '{') && pattern[i] === '+') {
      throw unsupported(pattern, 'possessive quantifier');
    }
  }
  if (inClass)
    throw new TemplateRenderError(`invalid regular expression /${pattern}/: unclosed character class`);
  return { source: out, flags };
}

/** One `\…` escape starting at `i`; returns the JS text and the index after it. */
function translateEscape(pattern: string, i: number, inClass: boolean): [string, number] {
  const c = pattern[i + 1];
  if (c === undefined)
    throw new TemplateRenderError(`invalid regular expression /${pattern}/: trailing backslash`);
  const after = i + 2;
  if (!/[a-zA-Z0-9]/.test(c)) return [escapeChar(c, inClass), after];
  switch (c) {
    case 'Q': {
      const end = pattern.indexOf('\\E', after);
      const literal = pattern.slice(after, end === -1 ? pattern.length : end);
      return [escapeLiteral(literal, inClass), end === -1 ? pattern.length : end + 2];
    }
    case 'E':
      return ['', after];
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 't':
    case 'n':
    case 'r':
    case 'f':
      return [`\\${c}`, after];
    case 'b':
    case 'B':
      if (inClass) throw unsupported(pattern, `\\${c} inside a character class`);
      return [`\\${c}`, after];
    case 's':
    case 'h':
    case 'v':
      return [inClass ? CLASS_ESCAPES[c] : `[${CLASS_ESCAPES[c]}]`, after];
    case 'S':
    case 'H':
    case 'V': {
      const lower = c.toLowerCase();
      if (inClass) {
        if (c === 'S') return ['\\S', after];
        throw unsupported(pattern, `\\${c} inside a character class`);
      }
      return [`[^${CLASS_ESCAPES[lower]}]`, after];
    }
    case 'R':
      if (inClass) throw unsupported(pattern, '\\R inside a character class');
      return [`(?:\\r\\n|[${CLASS_ESCAPES.v}])`, after];
    case 'A':
      return ['(?<![\\s\\S])', after];
    case 'z':
      return ['(?![\\s\\S])', after];
    case 'Z':
      return [JAVA_END, after];
    case 'a':
      return ['\\x07', after];
    case 'e':
      return ['\\x1B', after];
    case 'c':
      if (!/[a-zA-Z]/.test(pattern[after] ?? '')) throw unsupported(pattern, '\\c without a letter');
      return [`\\c${pattern[after]}`, after + 1];
    case 'x': {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(after, after + 8));
      if (braced !== null) return [codePointEscape(Number.parseInt(braced[1], 16)), after + braced[0].length];
      const hex = /^[0-9a-fA-F]{2}/.exec(pattern.slice(after, after + 2));
      if (hex === null) throw unsupported(pattern, 'malformed \\x escape');
      return [`\\x${hex[0]}`, after + 2];
    }
    case 'u': {
      const hex = /^[0-9a-fA-F]{4}/.exec(pattern.slice(after, after + 4));
      if (hex === null) throw unsupported(pattern, 'malformed \\u escape');
      return [`\\u${hex[0]}`, after + 4];
    }
    case '0': {
      const octal = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(after, after + 3));
      if (octal === null) throw unsupported(pattern, 'malformed octal escape');
      return [codePointEscape(Number.parseInt(octal[0], 8)), after + octal[0].length];
    }
    case 'p':
    case 'P': {
      const braced = /^\{([A-Za-z0-9_=]+)\}/.exec(pattern.slice(after, after + 64));
      const name = braced !== null ? braced[1] : pattern[after];
      if (name === undefined || !/[A-Za-z]/.test(name)) throw unsupported(pattern, `malformed \\${c}`);
      return [
        translateProperty(pattern, name, c === 'P', inClass),
        after + (braced !== null ? braced[0].length : 1),
      ];
    }
    case 'k':
      return ['\\k', after];
    default:
      if (/[1-9]/.test(c) && !inClass) return [`\\${c}`, after];
      throw unsupported(pattern, `escape \\${c}`);
  }
}
