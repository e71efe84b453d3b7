import { parseJsonValue } from './json-value.js';
import { TemplateRenderError } from './template-errors.js';

/**
 * `$util` of API Gateway mapping templates. Each function takes what the template passed; a
 * null argument gives null (renders nothing) rather than a crash, as the Java helpers return
 * null for null.
 */

/** The `$util` object: opaque to templates, its methods resolved by name in `java-methods.ts`. */
export class TemplateUtil {}

export const TEMPLATE_UTIL: TemplateUtil = Object.freeze(new TemplateUtil());

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Java's UTF-8 encoder replaces an unpaired surrogate with `?`. */
function javaWellFormed(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATES, '?') : s;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Commons Lang `StringEscapeUtils.escapeJavaScript`: `"` `'` `\` `/` backslash-escaped,
 * `\b \f \n \r \t` by name, other control characters and everything above U+007F as `\uXXXX`.
 * (`\'` is not valid JSON: AWS documents `.replaceAll("\\'","'")` as the fix.)
 * @example escapeJavaScript('a"b\n') // → 'a\\"b\\n'
 */
export function escapeJavaScript(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    let escaped: string | undefined;
    if (code > 0x7f) escaped = `\\u${hex4(code)}`;
    else if (code < 0x20) {
      escaped =
        code === 0x08
          ? '\\b'
          : code === 0x09
            ? '\\t'
            : code === 0x0a
              ? '\\n'
              : code === 0x0c
                ? '\\f'
                : code === 0x0d
                  ? '\\r'
                  : `\\u${hex4(code)}`;
    } else if (code === 0x22 || code === 0x27 || code === 0x5c || code === 0x2f) {
      escaped = `\\${s[i]}`;
    }
    if (escaped !== undefined) {
      out += s.slice(from, i) + escaped;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * Java `URLEncoder.encode(s, "UTF-8")`: `A-Z a-z 0-9 . - * _` kept, space → `+`, everything
 * else as `%XX` of its UTF-8 bytes (so `~` → `%7E`).
 * @example urlEncode('a b&c') // → 'a+b%26c'
 */
export function urlEncode(s: string): string {
  // encodeURIComponent keeps `! ' ( ) ~` too, which URLEncoder escapes.
  return encodeURIComponent(javaWellFormed(s)).replace(/%20|[!'()~]/g, (m) =>
    m === '%20' ? '+' : `%${m.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const UTF8 = new TextDecoder('utf-8');

/**
 * Java `URLDecoder.decode(s, "UTF-8")`: `+` → space, runs of `%XX` decoded as UTF-8; a
 * malformed `%` escape is an error (IllegalArgumentException in Java).
 * @example urlDecode('a+b%26c') // → 'a b&c'
 */
export function urlDecode(s: string): string {
  if (!s.includes('%')) return s.includes('+') ? s.replaceAll('+', ' ') : s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
          throw new TemplateRenderError(`URLDecoder: Illegal hex characters in escape (%) pattern at ${i}`);
        }
        bytes.push(Number.parseInt(hex, 16));
        i += 3;
      }
      out += UTF8.decode(Uint8Array.from(bytes));
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Base64 (standard alphabet, padded) of the UTF-8 bytes.
 * @example base64Encode('hi') // → 'aGk='
 */
export function base64Encode(s: string): string {
  return Buffer.from(javaWellFormed(s), 'utf8').toString('base64');
}

/**
 * Java `Base64.getDecoder().decode` then UTF-8: padding optional, any other character is an
 * error (Node's own decoder would silently skip it).
 * @example base64Decode('aGk=') // → 'hi'
 */
export function base64Decode(s: string): string {
  if (
    !/^[A-Za-z0-9+/]*={0,2}$/.test(s) ||
    s.replace(/=+$/, '').length % 4 === 1 ||
    (s.includes('=') && s.length % 4 !== 0)
  ) {
    throw new TemplateRenderError('Illegal base64 character or length');
  }
  return UTF8.decode(Buffer.from(s, 'base64'));
}

/**
 * `$util.parseJson`: the value with dot access (`$util.parseJson($s).a.b`).
 * @example parseJson('{"a":{"b":1}}') // → { a: { b: 1 } }
 */
export function parseJson(s: string): unknown {
  return parseJsonValue(s, '$util.parseJson argument');
}

type UtilFunction = (s: string) => unknown;

const STRING_FUNCTIONS = new Map<string, UtilFunction>([
  ['escapeJavaScript', escapeJavaScript],
  ['urlEncode', urlEncode],
  ['urlDecode', urlDecode],
  ['base64Encode', base64Encode],
  ['base64Decode', base64Decode],
  ['parseJson', parseJson],
]);

/** `$util.<name>(arg)`; undefined for an unknown name. Non-string arguments are first printed as Velocity would. */
export function callUtil(name: string, args: unknown[], toText: (v: unknown) => string): unknown {
  const fn = STRING_FUNCTIONS.get(name);
  if (fn === undefined || args.length !== 1) return undefined;
  const [arg] = args;
  if (arg === null || arg === undefined) return undefined;
  return fn(typeof arg === 'string' ? arg : toText(arg));
}
