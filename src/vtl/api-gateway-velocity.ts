import { Compile } from 'velocityjs';
import { TemplateInput } from './input.js';
import { javaNegate } from './java-math.js';
import { callJavaMethod } from './java-methods.js';
import {
  intValue,
  isJavaInteger,
  isJavaNumber,
  makeBigInteger,
  makeDouble,
  makeLong,
} from './java-number.js';
import { getOwn, isJavaMap, javaToString, MapEntry, putOwn } from './java-value.js';
import { parseFragment, type VelocityAst } from './parse-template.js';
import { TemplateRenderError } from './template-errors.js';
import { isTruthy, velocityArithmetic, velocityCompare, velocityEquals } from './velocity-operators.js';

/** The API Gateway payload quota; a render producing more text is stopped. */
const MAX_OUTPUT = 10 * 1024 * 1024;
/**
 * API Gateway's quota of 1,000 iterations per `#foreach` loop (REST API quotas table). Past it the
 * loop ends quietly and the render goes on, as Velocity's `directive.foreach.maxloops` does:
 * `$foreach.hasNext` still tells of the items left. Each run of a loop has its own count.
 */
export const MAX_FOREACH_ITERATIONS = 1000;
/** Nested loops multiply: all loops of one render together stop at this, with an error (a 5xx). */
const MAX_ITERATIONS = 1_000_000;
const MAX_RANGE = 1_000_000;
/** Velocity 1.7's `velocimacro.max.depth` default: deeper nesting fails the render (MacroOverflowException). */
const MAX_MACRO_DEPTH = 20;
const EMPTY_SCOPE: Record<string, unknown> = Object.freeze(Object.create(null));

// The parts of the velocityjs AST this file reads.
interface Node {
  type: string;
}
interface ReferenceNode extends Node {
  id: string;
  prue?: boolean;
  args?: Node[] | false;
  path?: Attribute[];
}
type Attribute =
  | { type: 'method'; id: string; args: Node[] | false }
  | { type: 'property'; id: string }
  | { type: 'index'; id: Node };
interface MathNode extends Node {
  operator: string;
  expression: Node[];
}
interface ArrayNode extends Node {
  value: (Node | string | number)[];
  isRange?: boolean;
}
type Ast = string | Node | Ast[];

/** velocityjs's compiler as this subclass sees it: its state and the hooks overridden below. */
interface VelocityCompiler {
  context: Record<string, unknown>;
  local: Record<string, Record<string, unknown>>;
  conditions: string[];
  contextId: string;
  macros: Record<string, unknown>;
  macrosStore: Record<string, unknown>;
  defines: Record<string, unknown>;
  runState: { stop: boolean; break: boolean };
  silence: boolean;
  asts: Ast[];
  renderAstList(asts?: Ast[], contextId?: string): string;
  getReferences(ast: ReferenceNode, isVal?: boolean): unknown;
  getAttributes(attr: Attribute, base: unknown, ast: ReferenceNode): unknown;
  getPropMethod(attr: Attribute, base: unknown, ast: ReferenceNode): unknown;
  getLiteral(ast: Node): unknown;
  getArray(ast: ArrayNode): unknown;
  getExpression(ast: Node): unknown;
  getContext(id: string): Record<string, unknown>;
  setValue(ast: Node): void;
  getBlock(block: Ast[]): string;
  getBlockIf(block: Ast[]): string;
  getBlockEach(block: Ast[]): string;
  getMacro(ast: Node): string;
  evalStr(str: string): string;
}
type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;
const VelocityBase = Compile as unknown as new (
  asts: VelocityAst[],
  config: CompileConfig,
) => VelocityCompiler;

/**
 * The one velocityjs method handler: every `$x.m(…)` call goes to the Java method table, ahead
 * of velocityjs's built-ins (which would call JS functions on template values).
 */
const JAVA_METHODS: CompileConfig['customMethodHandlers'] = [
  {
    uid: 'apigw-java-methods',
    match: () => true,
    resolve: ({ context, property, params }) => callJavaMethod(context, property, params),
  },
];

/** A Java `Integer`, the only kind `List.get(int)` and `[i]` accept (Velocity 1.7 IntrospectionUtils). */
const isInt = isJavaInteger;

const INT_RANGE = /^-?\d{1,9}$/;

/**
 * Velocity 1.7 literals: an integer is an Integer, else a Long, else a BigInteger
 * (ASTIntegerLiteral); a decimal a Double (ASTFloatingPointLiteral).
 */
function numberLiteral(ast: Node & { value: unknown }): unknown {
  const { value } = ast;
  if (ast.type === 'decimal') return typeof value === 'number' ? makeDouble(value) : undefined;
  // velocityjs gives the digits as text, except for a negative literal, already a (rounded) number
  const text = String(value);
  if (INT_RANGE.test(text)) return Number(text) | 0;
  const v = BigInt(typeof value === 'number' ? Math.trunc(value) : text);
  if (v >= -2147483648n && v <= 2147483647n) return Number(v);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? makeLong(v) : makeBigInteger(v);
}

/**
 * velocityjs with the semantics of API Gateway's Velocity 1.7: null references print nothing,
 * values print as Java's `toString`, Java operators and truthiness, Java methods only,
 * own-property lookups only, and per-render state reset so renders don't leak into each other.
 * One instance per compiled template; `renderContext` is synchronous, so it is never re-entered.
 */
export class ApiGatewayVelocity extends VelocityBase {
  /** Parsed double-quoted string literals (`"id-$x"`), parsed at compile time instead of per render. */
  private readonly fragments = new Map<string, Ast[]>();
  private iterations = 0;
  private macroDepth = 0;
  private loopSeq = 0;

  constructor(asts: VelocityAst[]) {
    super(asts, { escape: false, customMethodHandlers: JAVA_METHODS });
    this.collectFragments(asts);
  }

  /** Renders with `context` as the top-level variables (`$input`, `$util`, `$context`, …). */
  renderContext(context: Record<string, unknown>): string {
    this.context = context;
    this.local = Object.create(null);
    this.conditions = [];
    this.contextId = '';
    // Null prototypes: `#constructor()` or `$constructor` must not find Object's members.
    this.macros = Object.assign(Object.create(null), { stop: this.stop });
    this.macrosStore = Object.create(null);
    this.defines = Object.create(null);
    this.runState = { stop: false, break: false };
    this.silence = false;
    this.iterations = 0;
    this.macroDepth = 0;
    try {
      return this.renderAstList(this.asts);
    } finally {
      // The engine outlives the request: keep nothing of it (its body, its parsed JSON, $context).
      this.context = EMPTY_SCOPE;
      this.local = EMPTY_SCOPE as Record<string, Record<string, unknown>>;
      this.macrosStore = EMPTY_SCOPE;
      this.conditions = [];
    }
  }

  /** A macro call, within Velocity 1.7's `velocimacro.max.depth` (20) nested calls. */
  override getMacro(ast: Node): string {
    if (this.macroDepth >= MAX_MACRO_DEPTH) {
      throw new TemplateRenderError(
        `Max calling depth of ${MAX_MACRO_DEPTH} was exceeded in macro '${(ast as Node & { id: string }).id}'`,
      );
    }
    this.macroDepth++;
    try {
      return super.getMacro(ast);
    } finally {
      this.macroDepth--;
    }
  }

  private readonly stop = (): string => {
    this.runState.stop = true;
    return '';
  };

  private collectFragments(node: unknown): void {
    if (Array.isArray(node)) {
      for (const child of node) this.collectFragments(child);
    } else if (typeof node === 'object' && node !== null) {
      const n = node as { type?: string; isEval?: boolean; value?: unknown };
      if (n.type === 'string' && n.isEval === true && typeof n.value === 'string' && /[$#]/.test(n.value)) {
        if (!this.fragments.has(n.value)) this.fragments.set(n.value, parseFragment(n.value) as Ast[]);
      }
      for (const value of Object.values(node)) if (typeof value === 'object') this.collectFragments(value);
    }
  }

  override renderAstList(asts: Ast[] = this.asts, contextId?: string): string {
    if (contextId) {
      if (contextId !== this.contextId && !this.conditions.includes(contextId))
        this.conditions.unshift(contextId);
      this.contextId = contextId;
    } else {
      this.contextId = '';
    }
    let out = '';
    for (const ast of asts) {
      // #break stops the rest of the enclosing body at once, as in Velocity 1.7
      if (this.runState.stop || this.runState.break) break;
      if (typeof ast === 'string') {
        out += ast;
      } else if (Array.isArray(ast)) {
        out += this.getBlock(ast);
      } else {
        switch (ast.type) {
          case 'references':
            out += this.getReferences(ast as ReferenceNode, true) as string;
            break;
          case 'set':
            this.setValue(ast);
            break;
          case 'break':
            this.runState.break = true;
            break;
          case 'macro_call':
            out += javaToString(this.getMacro(ast));
            break;
          case 'raw':
            out += (ast as Node & { value: string }).value;
            break;
          default:
            break; // comments; a lone #else is rejected at parse time
        }
      }
      if (out.length > MAX_OUTPUT)
        throw new TemplateRenderError(`rendered text exceeds ${MAX_OUTPUT} characters`);
    }
    return out;
  }

  /** `$x.a.b(…)[i]`; with `isVal` the text to print, where null prints nothing (API Gateway, unlike stock Velocity). */
  override getReferences(ast: ReferenceNode, isVal?: boolean): unknown {
    if (ast.prue) {
      const define = this.defines[ast.id];
      if (Array.isArray(define)) return this.renderAstList(define);
    }
    let value = ast.args !== undefined ? undefined : this.lookup(ast.id);
    if (ast.path !== undefined) {
      for (const attr of ast.path) {
        if (value === null || value === undefined) break;
        value = this.getAttributes(attr, value, ast);
      }
    }
    return isVal ? javaToString(value) : value;
  }

  private lookup(id: string): unknown {
    for (const contextId of this.conditions) {
      const scope = this.local[contextId];
      if (scope !== undefined && Object.hasOwn(scope, id)) return scope[id];
    }
    return getOwn(this.context, id);
  }

  override getContext(id: string): Record<string, unknown> {
    for (const contextId of this.conditions) {
      const scope = this.local[contextId];
      if (scope !== undefined && Object.hasOwn(scope, id)) return scope;
    }
    return this.context;
  }

  override getAttributes(attr: Attribute, base: unknown, _ast: ReferenceNode): unknown {
    if (base === null || base === undefined) return undefined;
    // Straight to the Java method table: velocityjs's getPropMethod would read `base[name]` and
    // build a payload per call before reaching the same JAVA_METHODS handler.
    if (attr.type === 'method') return callJavaMethod(base, attr.id, this.methodArguments(attr.args));
    if (attr.type === 'property') return readProperty(base, attr.id);
    return readIndex(base, this.getLiteral(attr.id));
  }

  private methodArguments(args: Node[] | false): unknown[] {
    if (!args || args.length === 0) return [];
    const out = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) out[i] = this.getLiteral(args[i]);
    return out;
  }

  override getLiteral(ast: Node): unknown {
    if (ast.type === 'integer' || ast.type === 'decimal')
      return numberLiteral(ast as Node & { value: unknown });
    if (ast.type !== 'map') return super.getLiteral(ast);
    const map: Record<string, unknown> = {};
    const entries = (ast as Node & { value?: Record<string, Node> }).value ?? {};
    for (const key of Object.keys(entries)) putOwn(map, key, this.getLiteral(entries[key]));
    return map;
  }

  override getArray(ast: ArrayNode): unknown {
    if (!ast.isRange) return ast.value.map((item) => this.getLiteral(item as Node));
    const [begin, end] = ast.value.map((item) =>
      rangeBound(
        typeof item === 'string' ? Number(item) : typeof item === 'number' ? item : this.getLiteral(item),
      ),
    );
    // Velocity 1.7 (ASTIntegerRange): a bound that is not a number makes the range null
    if (begin === undefined || end === undefined) return undefined;
    if (Math.abs(end - begin) >= MAX_RANGE)
      throw new TemplateRenderError(`range [${begin}..${end}] is too large`);
    const step = begin <= end ? 1 : -1;
    const out: number[] = [];
    for (let i = begin; i !== end + step; i += step) out.push(i);
    return out;
  }

  override getExpression(ast: Node): unknown {
    if (ast.type !== 'math') return this.getLiteral(ast);
    const { operator, expression } = ast as MathNode;
    const [a, b] = expression;
    switch (operator) {
      case '||':
        return isTruthy(this.getExpression(a)) || isTruthy(this.getExpression(b));
      case '&&':
        return isTruthy(this.getExpression(a)) && isTruthy(this.getExpression(b));
      case 'not':
        return !isTruthy(this.getExpression(a));
      case 'parenthesis':
        return this.getExpression(a);
      case 'minus': {
        const v = this.getExpression(a);
        return isJavaNumber(v) ? javaNegate(v) : undefined;
      }
      case '==':
        return velocityEquals(this.getExpression(a), this.getExpression(b));
      case '!=':
        return !velocityEquals(this.getExpression(a), this.getExpression(b));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return velocityCompare(operator, this.getExpression(a), this.getExpression(b));
      default: {
        const result = velocityArithmetic(operator, this.getExpression(a), this.getExpression(b));
        if (typeof result === 'string' && result.length > MAX_OUTPUT) {
          throw new TemplateRenderError(`string longer than ${MAX_OUTPUT} characters`);
        }
        return result;
      }
    }
  }

  /**
   * `#set`: Velocity 1.7 leaves the target unchanged when the value is null; writes go only
   * into maps (as own properties) and in-range list slots, never through a prototype.
   */
  override setValue(ast: Node): void {
    const [ref, valueAst] = (ast as Node & { equal: [ReferenceNode, Node] }).equal;
    const value = valueAst.type === 'math' ? this.getExpression(valueAst) : this.getLiteral(valueAst);
    if (value === null || value === undefined) return;
    const scope = this.contextId.startsWith('macro:') ? this.context : this.getContext(ref.id);
    const path = ref.path;
    if (path === undefined || path.length === 0) {
      putOwn(scope, ref.id, value);
      return;
    }
    let target = getOwn(scope, ref.id);
    for (let i = 0; i < path.length - 1; i++) {
      if (target === null || target === undefined) return;
      target = this.getAttributes(path[i], target, ref);
    }
    const last = path[path.length - 1];
    if (last.type === 'method') return;
    const key = last.type === 'property' ? last.id : this.getLiteral(last.id);
    if (isJavaMap(target)) {
      putOwn(target, javaToString(key), value);
    } else if (Array.isArray(target) && isInt(key)) {
      target[checkedIndex(target, key)] = value;
    }
  }

  override getBlockIf(block: Ast[]): string {
    let taken = false;
    const body: Ast[] = [];
    for (const ast of block) {
      const type = typeof ast === 'object' && !Array.isArray(ast) ? ast.type : '';
      if (type !== 'if' && type !== 'elseif' && type !== 'else') {
        if (taken) body.push(ast);
        continue;
      }
      if (taken) break;
      taken = type === 'else' || isTruthy(this.getExpression((ast as Node & { condition: Node }).condition));
    }
    return this.renderAstList(body, this.contextId);
  }

  /** `#foreach` over a list or a map's values, with `$foreach.*`, `$velocityCount` and `$velocityHasNext`. */
  override getBlockEach(block: Ast[]): string {
    const head = block[0] as Node & { from: Node; to: string };
    const from = this.getLiteral(head.from);
    const items = Array.isArray(from) ? from : isJavaMap(from) ? Object.values(from) : undefined;
    if (items === undefined || items.length === 0) return '';
    const body = block.slice(1);
    const contextId = `foreach:${++this.loopSeq}`;
    const local: Record<string, unknown> = Object.create(null);
    const count = items.length; // Java's iterator would fail on a list changed mid-loop; we iterate a fixed length
    const stop = Math.min(count, MAX_FOREACH_ITERATIONS);
    // One scope object per loop, updated each iteration, as Velocity's ForeachScope is.
    const scope = { index: 0, count: 0, hasNext: false, first: true, last: false };
    local.foreach = scope;
    let out = '';
    for (let i = 0; i < stop; i++) {
      if (++this.iterations > MAX_ITERATIONS) throw new TemplateRenderError('too many #foreach iterations');
      const hasNext = i + 1 < count;
      putOwn(local, head.to, items[i]);
      scope.index = i;
      scope.count = i + 1;
      scope.hasNext = hasNext;
      scope.first = i === 0;
      scope.last = !hasNext;
      local.velocityCount = i + 1;
      local.velocityHasNext = hasNext;
      this.local[contextId] = local;
      out += this.renderAstList(body, contextId);
      if (out.length > MAX_OUTPUT)
        throw new TemplateRenderError(`rendered text exceeds ${MAX_OUTPUT} characters`);
      if (this.runState.break || this.runState.stop) break;
    }
    this.runState.break = false;
    delete this.local[contextId];
    this.conditions = this.conditions.filter((id) => id !== contextId);
    this.contextId = this.conditions[0] ?? '';
    return out;
  }

  override evalStr(str: string): string {
    let asts = this.fragments.get(str);
    if (asts === undefined) {
      // only reached for strings not seen at compile time (none in practice); not cached
      asts = parseFragment(str) as Ast[];
    }
    return this.renderAstList(asts, this.contextId);
  }
}

/**
 * A range bound as Velocity 1.7 reads it: `((Number) bound).intValue()`. A Long keeps its low
 * 32 bits (Java's narrowing), a Double is truncated and saturates; so a client's 2^53 is 0, not
 * a range of 2^53 elements.
 */
function rangeBound(value: unknown): number | undefined {
  return isJavaNumber(value) ? intValue(value) : undefined;
}

function checkedIndex(list: unknown[], index: number): number {
  const i = index < 0 ? list.length + index : index;
  if (i < 0 || i >= list.length) {
    throw new TemplateRenderError(`IndexOutOfBoundsException: Index: ${index}, Size: ${list.length}`);
  }
  return i;
}

/** `$x.name`: a map's own key, `$input.body`, an entry's key/value, Velocity's `$s.empty` → `isEmpty()`. */
function readProperty(base: unknown, name: string): unknown {
  if (isJavaMap(base)) return getOwn(base, name);
  if (base instanceof TemplateInput) return name === 'body' ? base.body : undefined;
  if (base instanceof MapEntry) return name === 'key' ? base.key : name === 'value' ? base.value : undefined;
  if (name === 'empty' && (typeof base === 'string' || Array.isArray(base))) return base.length === 0;
  return undefined;
}

/** `$x[i]`: a list slot (negative from the end; out of range is Java's IndexOutOfBoundsException) or a map key. */
function readIndex(base: unknown, key: unknown): unknown {
  if (Array.isArray(base)) return isInt(key) ? base[checkedIndex(base, key)] : undefined;
  if (isJavaMap(base)) return getOwn(base, javaToString(key));
  return undefined;
}
