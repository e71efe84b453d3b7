import { isJavaNumber, JavaNumber, javaNumberEquals, javaNumberToString, toJavaJson } from './java-number.js';
import { isJsonArray } from './json-value.js';
import { TemplateRenderError } from './template-errors.js';

/**
 * How template values map onto Java's: a JS string is a `String`, a number or `JavaNumber` one
 * of Java's numbers (see java-number.ts), an array a `List`, and a plain object (prototype
 * `Object.prototype` or `null`) a `Map`. Anything else (the `$input`/`$util` objects) is opaque.
 */
export function isJavaMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `Map.Entry` from `$map.entrySet()`: `$e.key`, `$e.getValue()`, renders `k=v` like Java. */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/** Writes an own property even for the key `__proto__`, so `put`/`#set` can never reach a prototype. */
export function putOwn(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/** Own-property read: `$map.toString` must not find `Object.prototype.toString`. */
export function getOwn(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

const MAX_DEPTH = 1000;

/**
 * What Velocity prints for a value (`String.valueOf`): `{a=1, b=x}` for maps, `[1, 2]` for lists,
 * compact JSON for JSON arrays, integers without `.0`. Null at the top prints nothing (API
 * Gateway's rule for null references); inside a collection it prints `null` as Java does.
 * @example javaToString({ a: 1, b: [true, null] }) // → '{a=1, b=[true, null]}'
 */
export function javaToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return nested(value, 0);
}

function nested(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TemplateRenderError('value nested too deeply to render');
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return javaNumberToString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      return '';
  }
  if (value === null) return 'null';
  if (value instanceof JavaNumber) return javaNumberToString(value);
  if (Array.isArray(value)) {
    if (isJsonArray(value)) return toJavaJson(value) ?? '';
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + nested(value[i], depth + 1);
    return `${out}]`;
  }
  if (value instanceof MapEntry) return `${value.key}=${nested(value.value, depth + 1)}`;
  if (!isJavaMap(value)) return '';
  let out = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    out += `${first ? '' : ', '}${key}=${nested(value[key], depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/** Java `equals`: same type and value, element-wise for lists and maps. */
export function javaEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (isJavaNumber(a) && isJavaNumber(b)) return javaNumberEquals(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => javaEquals(item, b[i], depth + 1));
  }
  if (isJavaMap(a) && isJavaMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && javaEquals(a[k], b[k], depth + 1))
    );
  }
  if (a instanceof MapEntry && b instanceof MapEntry) return a.key === b.key && javaEquals(a.value, b.value);
  // null and undefined are both Java's null
  return a == null && b == null;
}

/** Java `hashCode` of a string: s[0]*31^(n-1) + … in 32-bit arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
