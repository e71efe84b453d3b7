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
 * A digit before `.`/`e`/`E` (a JSON Double or BigDecimal), or 16 digits in a row (an integer
 * JS may not hold exactly): only then does the text need the number-preserving parser. A match
 * inside a string only costs the slower parse.
 */
const NEEDS_JAVA_NUMBERS = /\d[.eE]|\d{16}/;

/** json-smart keeps the last of duplicate keys (a HashMap put); lossless-json would throw. */
const LAST_KEY_WINS = {
  parseNumber: parseJsonNumber,
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

/**
 * Parses JSON into template values, numbers as json-smart makes them (see `parseJsonNumber`),
 * arrays printing like JSON-smart's; any syntax error becomes a TemplateRenderError (API
 * Gateway answers 500). Plain `JSON.parse` when the text has only integers JS holds exactly.
 * @example parseJsonValue('{"a":[1.0]}') // → { a: [Double 1.0] }, and `$x.a` renders `[1.0]`
 */
export function parseJsonValue(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = NEEDS_JAVA_NUMBERS.test(text) ? parseLossless(text, null, LAST_KEY_WINS) : JSON.parse(text);
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
