/**
 * A small JSONPath evaluator for `$input.json()`, `$input.path()` and
 * `integration.response.body.a.b`: the Jayway-style subset API Gateway templates use, with no
 * `eval` (filters are parsed into a tiny expression tree) and own-property lookups only.
 *
 * Supported: `$`, `.name`, `['name']`, `["name"]`, `['a','b']`, `[n]` (negative from the end),
 * `[n,m]`, `[*]`, `.*`, `..name`, `..*`, slices `[a:b]`, and filters `[?(@.k)]`,
 * `[?(@.k == 'x')]` with `== != < <= > >=`, number/string/boolean/null literals, `!`, `&&`, `||`.
 */

import {
  compareDecimals,
  isJavaNumber,
  type JavaNumeric,
  parseJsonNumber,
  printedDecimal,
  satisfies,
} from './java-number.js';

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

export interface CompiledJsonPath {
  readonly path: string;
  /** true when the path can match at most one node (Jayway's "definite" path): no wildcard, slice, filter, union or `..`. */
  readonly definite: boolean;
  evaluate(document: unknown): unknown[];
}

type Selector =
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'filter'; test: FilterExpr };

interface Segment {
  descendant: boolean;
  selector: Selector;
}

type Operand =
  | { kind: 'literal'; value: string | JavaNumeric | boolean | null }
  | { kind: 'path'; root: '@' | '$'; segments: Segment[] };

type FilterExpr =
  | { kind: 'or' | 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; operand: Operand }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand };

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

const CACHE_LIMIT = 1000;
/** Path text the cache may hold in all: paths built from request data can be as long as a body. */
const CACHE_CHARS = 256 * 1024;
/** A longer path is parsed per use, never cached: no literal path in a template is this long. */
const MAX_CACHED_PATH = 4096;
const cache = new Map<string, CompiledJsonPath>();
let cachedChars = 0;

/** @internal Characters of path text cached now, for tests of the bound. */
export const jsonPathCacheChars = (): number => cachedChars;

/**
 * Parses a JSONPath once; the result is cached by path text because the same literal path is
 * evaluated on every request.
 * @example compileJsonPath('$.items[0].id').evaluate({ items: [{ id: 7 }] }) // → [7]
 */
export function compileJsonPath(path: string): CompiledJsonPath {
  let compiled = cache.get(path);
  if (compiled === undefined) {
    const segments = new PathParser(normalizePath(path)).parseRoot();
    compiled = {
      path,
      definite: segments.every(isDefinite),
      evaluate: (document) => evaluateSegments(segments, [document], document),
    };
    if (path.length > MAX_CACHED_PATH) return compiled;
    // Paths built at render time could grow the cache without bound: start over when full.
    if (cache.size >= CACHE_LIMIT || cachedChars + path.length > CACHE_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    cache.set(path, compiled);
    cachedChars += path.length;
  }
  return compiled;
}

/**
 * Every node `path` selects in `document`, in document order.
 * @example evaluateJsonPath({ a: [1, 2] }, '$.a[*]') // → [1, 2]
 */
export function evaluateJsonPath(document: unknown, path: string): unknown[] {
  return compileJsonPath(path).evaluate(document);
}

function isDefinite(segment: Segment): boolean {
  if (segment.descendant) return false;
  const s = segment.selector;
  return (s.kind === 'names' && s.names.length === 1) || (s.kind === 'indexes' && s.indexes.length === 1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evaluateSegments(segments: Segment[], start: unknown[], root: unknown): unknown[] {
  let nodes = start;
  for (const segment of segments) {
    const next: unknown[] = [];
    const targets = segment.descendant ? nodes.flatMap(selfAndDescendants) : nodes;
    for (const node of targets) select(segment.selector, node, root, next);
    nodes = next;
    if (nodes.length === 0) break;
  }
  return nodes;
}

/** Pre-order walk without recursion, so a deeply nested body cannot overflow the stack. */
function selfAndDescendants(node: unknown): unknown[] {
  const out: unknown[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    out.push(current);
    const children = Array.isArray(current) ? current : isObject(current) ? Object.values(current) : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

function select(selector: Selector, node: unknown, root: unknown, out: unknown[]): void {
  switch (selector.kind) {
    case 'names':
      if (!isObject(node)) return;
      for (const name of selector.names) if (Object.hasOwn(node, name)) out.push(node[name]);
      return;
    case 'indexes':
      if (!Array.isArray(node)) return;
      for (const raw of selector.indexes) {
        const i = raw < 0 ? node.length + raw : raw;
        if (i >= 0 && i < node.length) out.push(node[i]);
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'slice':
      if (Array.isArray(node)) sliceInto(node, selector, out);
      return;
    case 'filter':
      // Jayway applies a filter to each element of an array, and to a map as a whole.
      if (Array.isArray(node)) {
        for (const item of node) if (testFilter(selector.test, item, root)) out.push(item);
      } else if (isObject(node) && testFilter(selector.test, node, root)) {
        out.push(node);
      }
      return;
  }
}

function sliceInto(
  list: unknown[],
  { start, end, step }: { start: number | undefined; end: number | undefined; step: number },
  out: unknown[],
): void {
  const len = list.length;
  const clamp = (n: number) => Math.min(Math.max(n < 0 ? len + n : n, 0), len);
  const from = start === undefined ? 0 : clamp(start);
  const to = end === undefined ? len : clamp(end);
  for (let i = from; i < to; i += step) out.push(list[i]);
}

function testFilter(expr: FilterExpr, current: unknown, root: unknown): boolean {
  switch (expr.kind) {
    case 'or':
      return testFilter(expr.left, current, root) || testFilter(expr.right, current, root);
    case 'and':
      return testFilter(expr.left, current, root) && testFilter(expr.right, current, root);
    case 'not':
      return !testFilter(expr.expr, current, root);
    case 'exists':
      return expr.operand.kind === 'literal'
        ? expr.operand.value !== null && expr.operand.value !== false
        : operandMatches(expr.operand, current, root).length > 0;
    case 'compare': {
      const left = operandValue(expr.left, current, root);
      const right = operandValue(expr.right, current, root);
      return compare(expr.op, left, right);
    }
  }
}

function operandMatches(operand: Operand & { kind: 'path' }, current: unknown, root: unknown): unknown[] {
  const start = operand.root === '@' ? current : root;
  return evaluateSegments(operand.segments, [start], root);
}

const MISSING = Symbol('missing');

function operandValue(operand: Operand, current: unknown, root: unknown): unknown {
  if (operand.kind === 'literal') return operand.value;
  const matches = operandMatches(operand, current, root);
  return matches.length === 0 ? MISSING : matches[0];
}

/**
 * Jayway compares numbers as `new BigDecimal(n.toString())` (ValueNodes.NumberNode), so
 * `3.0 == 3` and Longs beyond 2^53 compare exactly; NaN and Infinity never match.
 */
function compareNumbers(op: CompareOp, left: JavaNumeric, right: JavaNumeric): boolean {
  let c: number;
  if (typeof left === 'number' && typeof right === 'number') {
    // plain numbers are Integers, Longs and Doubles whose order JS gets exactly
    c = left < right ? -1 : left > right ? 1 : 0;
  } else {
    const l = printedDecimal(left);
    const r = printedDecimal(right);
    if (l === undefined || r === undefined) return op === '!=';
    c = compareDecimals(l, r);
  }
  return satisfies(op, c);
}

function compare(op: CompareOp, left: unknown, right: unknown): boolean {
  // A missing property satisfies no comparison (Jayway drops the element).
  if (left === MISSING || right === MISSING) return false;
  if (isJavaNumber(left) && isJavaNumber(right)) return compareNumbers(op, left, right);
  const sameKind = typeof left === 'string' && typeof right === 'string';
  switch (op) {
    case '==':
      return sameKind || left === null || right === null || typeof left === 'boolean'
        ? left === right
        : false;
    case '!=':
      return !compare('==', left, right);
    case '<':
      return sameKind && (left as string) < (right as string);
    case '<=':
      return sameKind && (left as string) <= (right as string);
    case '>':
      return sameKind && (left as string) > (right as string);
    case '>=':
      return sameKind && (left as string) >= (right as string);
  }
}

/** Jayway reads a path without a leading `$` as relative to the root: `a.b` = `$.a.b`. */
function normalizePath(path: string): string {
  const text = path.trim();
  if (text.startsWith('$')) return text;
  return text.startsWith('[') ? `$${text}` : `$.${text}`;
}

const NAME_STOP = new Set([
  '.',
  '[',
  ']',
  '(',
  ')',
  ' ',
  '\t',
  '\n',
  '\r',
  '=',
  '!',
  '<',
  '>',
  '&',
  '|',
  ',',
]);

class PathParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseRoot(): Segment[] {
    if (this.text.length > 10_000) throw this.error('path too long');
    this.pos = 1; // past the `$`
    const segments = this.parseSegments(false);
    if (this.pos < this.text.length) throw this.error(`unexpected '${this.text[this.pos]}'`);
    return segments;
  }

  private error(message: string): JsonPathError {
    return new JsonPathError(`Invalid JSONPath ${JSON.stringify(this.text)} at ${this.pos}: ${message}`);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Segments until the end of the text, or (inside a filter) until a character that ends an operand. */
  private parseSegments(inFilter: boolean): Segment[] {
    const segments: Segment[] = [];
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '.') {
        const descendant = this.peek(1) === '.';
        this.pos += descendant ? 2 : 1;
        if (this.peek() === '[') {
          if (!descendant) throw this.error("'.' followed by '['");
          segments.push({ descendant, selector: this.parseBracket() });
        } else if (this.peek() === '*') {
          this.pos++;
          segments.push({ descendant, selector: { kind: 'wildcard' } });
        } else {
          segments.push({ descendant, selector: { kind: 'names', names: [this.parseName()] } });
        }
      } else if (c === '[') {
        segments.push({ descendant: false, selector: this.parseBracket() });
      } else if (inFilter) {
        break;
      } else {
        throw this.error(`unexpected '${c}'`);
      }
    }
    return segments;
  }

  private parseName(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !NAME_STOP.has(this.peek())) this.pos++;
    if (this.pos === start) throw this.error('expected a property name');
    const name = this.text.slice(start, this.pos);
    if (this.peek() === '(') throw this.error(`functions such as ${name}() are not supported`);
    return name;
  }

  private parseBracket(): Selector {
    this.pos++; // [
    this.skipSpaces();
    let selector: Selector;
    const c = this.peek();
    if (c === '*') {
      this.pos++;
      selector = { kind: 'wildcard' };
    } else if (c === "'" || c === '"') {
      const names = [this.parseQuoted()];
      for (this.skipSpaces(); this.peek() === ','; this.skipSpaces()) {
        this.pos++;
        this.skipSpaces();
        names.push(this.parseQuoted());
      }
      selector = { kind: 'names', names };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      this.expect('(');
      const test = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      selector = { kind: 'filter', test };
    } else {
      selector = this.parseIndexOrSlice();
    }
    this.skipSpaces();
    this.expect(']');
    return selector;
  }

  private parseIndexOrSlice(): Selector {
    const first = this.parseOptionalInt();
    this.skipSpaces();
    if (this.peek() === ':') {
      this.pos++;
      this.skipSpaces();
      const end = this.parseOptionalInt();
      this.skipSpaces();
      let step = 1;
      if (this.peek() === ':') {
        this.pos++;
        this.skipSpaces();
        step = this.parseOptionalInt() ?? 1;
        if (step <= 0) throw this.error('slice step must be positive');
      }
      return { kind: 'slice', start: first, end, step };
    }
    if (first === undefined) throw this.error('expected an index, a quoted name, * or ?(');
    const indexes = [first];
    for (this.skipSpaces(); this.peek() === ','; this.skipSpaces()) {
      this.pos++;
      this.skipSpaces();
      const next = this.parseOptionalInt();
      if (next === undefined) throw this.error('expected an index');
      indexes.push(next);
    }
    return { kind: 'indexes', indexes };
  }

  private parseOptionalInt(): number | undefined {
    const match = /^-?\d+/.exec(this.text.slice(this.pos, this.pos + 20));
    if (match === null) return undefined;
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private parseQuoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') throw this.error('expected a quoted string');
    this.pos++;
    let out = '';
    while (this.pos < this.text.length && this.peek() !== quote) {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) this.pos++;
      out += this.peek();
      this.pos++;
    }
    if (this.peek() !== quote) throw this.error('unterminated string');
    this.pos++;
    return out;
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw this.error(`expected '${c}'`);
    this.pos++;
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    for (this.skipSpaces(); this.text.startsWith('||', this.pos); this.skipSpaces()) {
      this.pos += 2;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    for (this.skipSpaces(); this.text.startsWith('&&', this.pos); this.skipSpaces()) {
      this.pos += 2;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterExpr {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.pos++;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const op = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos, this.pos + 2))?.[0] as
      | CompareOp
      | undefined;
    if (op === undefined) return { kind: 'exists', operand: left };
    this.pos += op.length;
    this.skipSpaces();
    return { kind: 'compare', op, left, right: this.parseOperand() };
  }

  private parseOperand(): Operand {
    const c = this.peek();
    if (c === '@' || c === '$') {
      this.pos++;
      return { kind: 'path', root: c, segments: this.parseSegments(true) };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.parseQuoted() };
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 40));
    if (number !== null) {
      this.pos += number[0].length;
      return { kind: 'literal', value: parseJsonNumber(number[0]) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    throw this.error('expected @, $, a string, a number, true, false or null');
  }
}
