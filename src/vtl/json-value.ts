import { parse as parseLossless } from 'lossless-json';
import { JavaNumber, parseJsonNumber } from './java-number.js';
import { TemplateRenderError } from './template-errors.js';

/**
 * Arrays that came from parsed JSON. API Gateway's JSONPath library hands templates a
 * JSON-smart `JSONArray`, whose `toString()` is compact JSON (`[{"foo":"bar"}]`), while a
 * VTL list literal is a `java.util.ArrayList` (`[1, 2]`). We tell them apart with this set.
 * (recorded: localstack tests/aws/services/apigateway/test_apigateway_common.snapshot.json,
 * test_input_path_template_formatting)
 */
const JSON_ARRAYS = new WeakSet<unknown[]>();

export function isJsonArray(value: unknown[]): boolean {
  return JSON_ARRAYS.has(value);
}

/**
 * Whether `JSON.parse` gives exactly the values the number-preserving parser would: every number
 * token outside strings is an integer of at most 15 digits (an Integer or Long JS holds exactly)
 * or a short decimal that is a fractional Double printing the same in JS and Java (0.001 ≤ |x| <
 * 10^7). This only picks the parser; an invalid text fails in whichever parser runs. Throws
 * TemplateRenderError for a payload nested deeper than MAX_JSON_DEPTH.
 */
/**
 * Payload nesting a template may read. Both parsers recurse (lossless-json, json-smart on AWS)
 * and a deep payload costs seconds before it overflows; the scan stops it first.
 */
export const MAX_JSON_DEPTH = 1000;

function hasOnlyPlainNumbers(text: string, what: string): boolean {
  const n = text.length;
  let i = 0;
  let depth = 0;
  let plain = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new TemplateRenderError(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
      i++;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      i++;
    } else if (c === 34 /* " */) {
      // Jump to the closing quote natively; a quote after an odd run of backslashes is escaped.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return plain; // unterminated: the parser reports it
      i = end + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let dot = -1;
      let exponent = false;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) i++;
        else if (d === 46 /* . */) {
          dot = i;
          i++;
        } else if (d === 101 || d === 69 || d === 43 || d === 45) {
          exponent = true;
          i++;
        } else break;
      }
      if (plain) {
        if (exponent) plain = isPlainDecimal(text.slice(start, i));
        else if (dot !== -1) plain = isPlainFraction(text, c === 45 ? start + 1 : start, dot, i);
        else
          plain =
            i - start <= (c === 45 ? 16 : 15) &&
            !(c === 45 && i - start === 2 && text.charCodeAt(start + 1) === 48);
      }
    } else {
      i++;
    }
  }
  return plain;
}

/**
 * `isPlainDecimal` for a token without an exponent, read in place (payloads are full of prices):
 * digits `from..dot`, `.`, digits `dot+1..end`.
 */
function isPlainFraction(text: string, from: number, dot: number, end: number): boolean {
  if (end - from > 17 || dot - from > 7) return false; // over 18 characters with a sign, or ≥ 10^7
  let first = dot + 1;
  while (first < end && text.charCodeAt(first) === 48) first++;
  if (first === end) return false; // `3.0`: an integral Double
  const intZero = dot - from === 1 && text.charCodeAt(from) === 48;
  return !intZero || first - dot <= 3; // 0.000x is below 10^-3
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let j = quote - 1; text.charCodeAt(j) === 92; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** A decimal JSON.parse reads as template code would: a fractional Double (not json-smart's BigDecimal) in JS's printing range. */
function isPlainDecimal(token: string): boolean {
  if (token.length > 18) return false;
  const v = Number(token);
  const abs = Math.abs(v);
  return !Number.isInteger(v) && abs >= 1e-3 && abs < 1e7;
}
/** json-smart keeps the last of duplicate keys (a HashMap put); lossless-json would throw. */
const LAST_KEY_WINS = {
  parseNumber: parseJsonNumber,
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

/**
 * Parses JSON into template values, numbers as json-smart makes them (see `parseJsonNumber`),
 * arrays printing like JSON-smart's; any syntax error becomes a TemplateRenderError (API
 * Gateway answers 500). Plain `JSON.parse` when its numbers come out the same (hasOnlyPlainNumbers).
 * @example parseJsonValue('{"a":[1.0]}') // → { a: [Double 1.0] }, and `$x.a` renders `[1.0]`
 */
export function parseJsonValue(text: string, what: string): unknown {
  let value: unknown;
  const plain = hasOnlyPlainNumbers(text, what);
  try {
    value = plain ? JSON.parse(text) : parseLossless(text, null, LAST_KEY_WINS);
  } catch (error) {
    throw new TemplateRenderError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  markJsonArrays(value);
  return value;
}

// Neither parser offers a hook per array (lossless-json's reviver is itself a second walk), so one walk marks them.
function markJsonArrays(root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  // Iterative, so a deeply nested payload cannot overflow the stack.
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(node)) {
      JSON_ARRAYS.add(node);
      for (let i = 0; i < node.length; i++) {
        const child = node[i];
        if (typeof child === 'object' && child !== null) stack.push(child);
      }
    } else {
      for (const key in node) {
        const child = node[key];
        if (typeof child === 'object' && child !== null && !(child instanceof JavaNumber)) stack.push(child);
      }
    }
  }
}

/** Marks a list built from JSON matches (an indefinite JSONPath result) so it prints as JSON. */
export function asJsonArray(list: unknown[]): unknown[] {
  JSON_ARRAYS.add(list);
  return list;
}
