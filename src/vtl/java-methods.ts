import { INPUT_METHODS, TemplateInput } from './input.js';
import { javaCompare } from './java-math.js';
import {
  doubleValue,
  intValue,
  isJavaInteger,
  isJavaNumber,
  JavaNumber,
  type JavaNumeric,
  javaNumberEquals,
  javaNumberToString,
  longValue,
  makeDouble,
  makeLong,
  numberKind,
} from './java-number.js';
import { OBJECT_METHODS, STRING_METHODS } from './java-string-methods.js';
import { getOwn, isJavaMap, javaEquals, javaToString, MapEntry, putOwn } from './java-value.js';
import { TemplateRenderError } from './template-errors.js';
import { callUtil, TemplateUtil } from './util.js';

/**
 * Every method call a template makes lands here (the one velocityjs `customMethodHandlers`
 * entry): a Java method of the receiver's Java type, or `undefined` when Java has none, which
 * renders as nothing. No JS function of a template value is ever called, so `.call`,
 * `.apply`, `.bind`, `constructor`… are unreachable.
 */
type Method<T> = (self: T, args: unknown[]) => unknown;

/** Java picks an `int` overload only for an Integer argument (Velocity 1.7 IntrospectionUtils): not a Long, not a Double. */
const isInt = isJavaInteger;

function indexOutOfBounds(index: unknown, size: number): TemplateRenderError {
  return new TemplateRenderError(`IndexOutOfBoundsException: Index: ${javaToString(index)}, Size: ${size}`);
}

function checkIndex(list: unknown[], index: number, inclusiveEnd = false): number {
  if (index < 0 || index > list.length || (index === list.length && !inclusiveEnd)) {
    throw indexOutOfBounds(index, list.length);
  }
  return index;
}

const LIST_METHODS = new Map<string, Method<unknown[]>>([
  ['size', (list) => list.length],
  ['isEmpty', (list) => list.length === 0],
  ['contains', (list, [x]) => list.some((item) => javaEquals(item, x))],
  ['indexOf', (list, [x]) => list.findIndex((item) => javaEquals(item, x))],
  [
    'lastIndexOf',
    (list, [x]) => {
      for (let i = list.length - 1; i >= 0; i--) if (javaEquals(list[i], x)) return i;
      return -1;
    },
  ],
  ['get', (list, [i]) => (isInt(i) ? list[checkIndex(list, i)] : undefined)],
  [
    'set',
    (list, [i, x]) => {
      if (!isInt(i)) return undefined;
      const old = list[checkIndex(list, i)];
      list[i] = x;
      return old;
    },
  ],
  [
    'add',
    (list, args) => {
      if (args.length === 1) {
        list.push(args[0]);
        return true;
      }
      const [i, x] = args;
      if (args.length !== 2 || !isInt(i)) return undefined;
      list.splice(checkIndex(list, i, true), 0, x);
      return undefined;
    },
  ],
  [
    'addAll',
    (list, [xs]) => {
      if (!Array.isArray(xs)) return undefined;
      // One push per item: spreading a long list into push() overflows the argument stack.
      for (let i = 0, n = xs.length; i < n; i++) list.push(xs[i]);
      return xs.length > 0;
    },
  ],
  [
    'remove',
    (list, [x]) => {
      // Java picks remove(int index) for an int argument, remove(Object) otherwise.
      if (isInt(x)) return list.splice(checkIndex(list, x), 1)[0];
      const at = list.findIndex((item) => javaEquals(item, x));
      if (at !== -1) list.splice(at, 1);
      return at !== -1;
    },
  ],
  [
    'subList',
    (list, [from, to]) => {
      if (!isInt(from) || !isInt(to)) return undefined;
      if (from < 0 || to > list.length || from > to) throw indexOutOfBounds(`${from}..${to}`, list.length);
      return list.slice(from, to);
    },
  ],
  [
    'clear',
    (list) => {
      list.length = 0;
      return undefined;
    },
  ],
]);

const MAP_METHODS = new Map<string, Method<Record<string, unknown>>>([
  ['size', (map) => Object.keys(map).length],
  ['isEmpty', (map) => Object.keys(map).length === 0],
  ['containsKey', (map, [k]) => Object.hasOwn(map, javaToString(k))],
  ['containsValue', (map, [x]) => Object.values(map).some((v) => javaEquals(v, x))],
  ['get', (map, [k]) => getOwn(map, javaToString(k))],
  [
    'getOrDefault',
    (map, [k, fallback]) => {
      const key = javaToString(k);
      return Object.hasOwn(map, key) ? map[key] : fallback;
    },
  ],
  [
    'put',
    (map, [k, v]) => {
      const key = javaToString(k);
      const old = getOwn(map, key);
      putOwn(map, key, v);
      return old;
    },
  ],
  [
    'putAll',
    (map, [other]) => {
      if (!isJavaMap(other)) return undefined;
      for (const key of Object.keys(other)) putOwn(map, key, other[key]);
      return undefined;
    },
  ],
  [
    'remove',
    (map, [k]) => {
      const key = javaToString(k);
      const old = getOwn(map, key);
      delete map[key];
      return old;
    },
  ],
  ['keySet', (map) => Object.keys(map)],
  ['values', (map) => Object.values(map)],
  ['entrySet', (map) => Object.keys(map).map((key) => new MapEntry(key, map[key]))],
  [
    'clear',
    (map) => {
      for (const key of Object.keys(map)) delete map[key];
      return undefined;
    },
  ],
]);

/** `Double.compare`: NaN above everything, -0.0 below 0.0; other kinds by value. */
function compareSameKind(a: JavaNumeric, b: JavaNumeric): number {
  const kind = numberKind(a);
  if (kind !== 'Double' && kind !== 'Float') return javaCompare(a, b);
  const x = doubleValue(a);
  const y = doubleValue(b);
  if (x < y) return -1;
  if (x > y) return 1;
  const bits = (d: number) => (Number.isNaN(d) ? 2 : Object.is(d, -0) ? 0 : 1);
  return Math.sign(bits(x) - bits(y));
}

/**
 * `java.lang.Number` methods. A `longValue()` of small value is still a Long (boxed), so it is
 * not taken as an `int` argument; `equals` and `compareTo` want the same class, as in Java
 * (`Integer.compareTo(Long)` has no overload: null).
 */
const NUMBER_METHODS = new Map<string, Method<JavaNumeric>>([
  ['intValue', (n) => intValue(n)],
  ['longValue', (n) => makeLong(longValue(n))],
  ['doubleValue', (n) => makeDouble(doubleValue(n))],
  ['floatValue', (n) => JavaNumber.floatOf(doubleValue(n))],
  ['toString', (n) => javaNumberToString(n)],
  ['equals', (n, [x]) => isJavaNumber(x) && javaNumberEquals(n, x)],
  [
    'compareTo',
    (n, [x]) => (isJavaNumber(x) && numberKind(x) === numberKind(n) ? compareSameKind(n, x) : undefined),
  ],
]);

const BOOLEAN_METHODS = new Map<string, Method<boolean>>([
  ['booleanValue', (b) => b],
  ['toString', (b) => String(b)],
  ['equals', (b, [x]) => b === x],
]);

const ENTRY_METHODS = new Map<string, Method<MapEntry>>([
  ['getKey', (e) => e.key],
  ['getValue', (e) => e.value],
]);

/** What templates may print or pass around: a method returning more than the payload quota is refused. */
const MAX_STRING_RESULT = 10 * 1024 * 1024;

/**
 * Calls Java method `name` on `self`; `undefined` when Java has no such method.
 * @example callJavaMethod('a.b', 'split', ['\\.']) // → ['a', 'b']
 */
export function callJavaMethod(self: unknown, name: string, args: unknown[]): unknown {
  const result = dispatch(self, name, args);
  if (typeof result === 'string' && result.length > MAX_STRING_RESULT) {
    throw new TemplateRenderError(`String.${name} result exceeds ${MAX_STRING_RESULT} characters`);
  }
  return result;
}

function dispatch(self: unknown, name: string, args: unknown[]): unknown {
  let method: Method<never> | undefined;
  if (typeof self === 'string') method = STRING_METHODS.get(name);
  else if (isJavaNumber(self)) method = NUMBER_METHODS.get(name);
  else if (typeof self === 'boolean') method = BOOLEAN_METHODS.get(name);
  else if (Array.isArray(self)) method = LIST_METHODS.get(name);
  else if (isJavaMap(self)) method = MAP_METHODS.get(name);
  else if (self instanceof MapEntry) method = ENTRY_METHODS.get(name);
  else if (self instanceof TemplateInput) return INPUT_METHODS.get(name)?.(self, args);
  else if (self instanceof TemplateUtil) return callUtil(name, args, javaToString);
  else return undefined;
  if (method !== undefined) return method(self as never, args);
  return OBJECT_METHODS.get(name)?.(self, args);
}
