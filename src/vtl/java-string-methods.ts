import { javaRegex } from './java-regex.js';
import { javaEquals, javaStringHashCode, javaToString } from './java-value.js';
import { TemplateRenderError } from './template-errors.js';

/**
 * `java.lang.String` methods for template strings. A call whose arguments don't fit any Java
 * overload returns `undefined` (Velocity finds no method, and API Gateway renders nothing);
 * a call Java would throw on (`substring` out of range) throws TemplateRenderError.
 */
type StringMethod = (s: string, args: unknown[]) => unknown;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function outOfRange(method: string, detail: string): TemplateRenderError {
  return new TemplateRenderError(`StringIndexOutOfBoundsException in String.${method}: ${detail}`);
}

/** Java `trim()`: strips code units <= U+0020 only. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Java `compareTo`: difference of the first differing UTF-16 units, else of the lengths. */
function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * A Java `Matcher.appendReplacement` replacement: `$n` and `${name}` insert groups, `\x` is a
 * literal x; a dangling `$` or `\` is an error as in Java.
 */
function expandReplacement(
  replacement: string,
  match: RegExpExecArray | string[],
  groups?: Record<string, string>,
) {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new TemplateRenderError('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end === -1 ? '' : replacement.slice(i + 1, end);
        if (groups === undefined || !Object.hasOwn(groups, name)) {
          throw new TemplateRenderError(`No group with name {${name}}`);
        }
        out += groups[name] ?? '';
        i = end;
      } else {
        if (!/[0-9]/.test(replacement[i] ?? '')) throw new TemplateRenderError('Illegal group reference');
        // Java reads digits greedily while the number is still a valid group.
        let group = Number(replacement[i]);
        if (group >= match.length) throw new TemplateRenderError(`No group ${group}`);
        while (
          /[0-9]/.test(replacement[i + 1] ?? '') &&
          group * 10 + Number(replacement[i + 1]) < match.length
        ) {
          group = group * 10 + Number(replacement[i + 1]);
          i++;
        }
        out += match[group] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

function replaceRegex(s: string, pattern: string, replacement: string, all: boolean): string {
  const regex = javaRegex(pattern, all ? 'global' : 'find');
  return s.replace(regex, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string> | undefined) : undefined;
    const captures = args.slice(0, hasGroups ? -3 : -2) as string[];
    return expandReplacement(replacement, captures, groups);
  });
}

/**
 * The index after the character at `index`: a surrogate pair is one character, as Java's
 * matcher steps by code point. Stepping by one UTF-16 unit would land inside the pair, where a
 * `u`-flag RegExp matches the same empty string again, for ever.
 */
function nextCodePoint(s: string, index: number): number {
  const c = s.charCodeAt(index);
  if (c >= 0xd800 && c <= 0xdbff && index + 1 < s.length) {
    const d = s.charCodeAt(index + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return index + 2;
  }
  return index + 1;
}

const isSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;

/** Java `String.split(regex, limit)`: no leading empty string for a zero-width match at 0; with limit 0, trailing empty strings dropped. */
function javaSplit(s: string, pattern: string, limit: number): string[] {
  const parts: string[] = [];
  // Java's fastpath and ours: a single literal character (not a surrogate) needs no regex.
  const literal =
    pattern.length === 1 && !'.$|()[{^?*+\\'.includes(pattern) && !isSurrogate(pattern.charCodeAt(0))
      ? pattern
      : undefined;
  let index = 0;
  if (literal !== undefined) {
    for (let at = s.indexOf(literal); at !== -1; at = s.indexOf(literal, index)) {
      if (limit > 0 && parts.length === limit - 1) break;
      parts.push(s.slice(index, at));
      index = at + 1;
    }
  } else {
    const regex = javaRegex(pattern, 'global');
    regex.lastIndex = 0;
    for (let m = regex.exec(s); m !== null; m = regex.exec(s)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) regex.lastIndex = nextCodePoint(s, end);
      if (limit > 0 && parts.length === limit - 1) break;
      if (index === 0 && start === 0 && end === 0) continue;
      parts.push(s.slice(index, start));
      index = end;
    }
    regex.lastIndex = 0;
  }
  if (index === 0 && parts.length === 0) return [s];
  parts.push(s.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export const STRING_METHODS = new Map<string, StringMethod>([
  ['length', (s) => s.length],
  ['isEmpty', (s) => s.length === 0],
  ['toString', (s) => s],
  ['trim', javaTrim],
  ['toLowerCase', (s) => s.toLowerCase()],
  ['toUpperCase', (s) => s.toUpperCase()],
  ['hashCode', javaStringHashCode],
  ['contains', (s, [x]) => (isStr(x) ? s.includes(x) : undefined)],
  ['equals', (s, [x]) => isStr(x) && s === x],
  ['equalsIgnoreCase', (s, [x]) => isStr(x) && s.length === x.length && s.toUpperCase() === x.toUpperCase()],
  ['compareTo', (s, [x]) => (isStr(x) ? compareStrings(s, x) : undefined)],
  [
    'compareToIgnoreCase',
    (s, [x]) => (isStr(x) ? compareStrings(s.toLowerCase(), x.toLowerCase()) : undefined),
  ],
  ['concat', (s, [x]) => (isStr(x) ? s + x : undefined)],
  [
    'startsWith',
    (s, [x, from]) =>
      isStr(x) ? s.startsWith(x, isInt(from) ? from : 0) && (!isInt(from) || from >= 0) : undefined,
  ],
  ['endsWith', (s, [x]) => (isStr(x) ? s.endsWith(x) : undefined)],
  ['indexOf', (s, [x, from]) => (isStr(x) ? s.indexOf(x, isInt(from) ? Math.max(from, 0) : 0) : undefined)],
  [
    'lastIndexOf',
    (s, [x, from]) => {
      if (!isStr(x)) return undefined;
      if (!isInt(from)) return s.lastIndexOf(x);
      return from < 0 ? -1 : s.lastIndexOf(x, from);
    },
  ],
  [
    'charAt',
    (s, [i]) => {
      if (!isInt(i)) return undefined;
      if (i < 0 || i >= s.length) throw outOfRange('charAt', `index ${i}, length ${s.length}`);
      return s[i];
    },
  ],
  [
    'substring',
    (s, [begin, end]) => {
      const stop = end === undefined ? s.length : end;
      if (!isInt(begin) || !isInt(stop)) return undefined;
      if (begin < 0 || stop > s.length || begin > stop) {
        throw outOfRange('substring', `begin ${begin}, end ${stop}, length ${s.length}`);
      }
      return s.slice(begin, stop);
    },
  ],
  [
    'replace',
    (s, [target, replacement]) =>
      isStr(target) && isStr(replacement) ? s.replaceAll(target, () => replacement) : undefined,
  ],
  [
    'replaceAll',
    (s, [pattern, replacement]) =>
      isStr(pattern) && isStr(replacement) ? replaceRegex(s, pattern, replacement, true) : undefined,
  ],
  [
    'replaceFirst',
    (s, [pattern, replacement]) =>
      isStr(pattern) && isStr(replacement) ? replaceRegex(s, pattern, replacement, false) : undefined,
  ],
  ['matches', (s, [pattern]) => (isStr(pattern) ? javaRegex(pattern, 'full').test(s) : undefined)],
  [
    'split',
    (s, [pattern, limit = 0]) => (isStr(pattern) && isInt(limit) ? javaSplit(s, pattern, limit) : undefined),
  ],
]);

/** Methods every Java object has, for values without a more specific table. */
export const OBJECT_METHODS = new Map<string, (self: unknown, args: unknown[]) => unknown>([
  ['toString', (self) => javaToString(self)],
  ['equals', (self, [x]) => javaEquals(self, x)],
]);
