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
 * `JSON.parse` whose arrays render like JSON-smart's; any syntax error becomes a
 * TemplateRenderError (API Gateway answers 500).
 * @example parseJsonValue('{"a":[1]}') // → { a: [1] }, and `$x.a` renders `[1]`
 */
export function parseJsonValue(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TemplateRenderError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  markJsonArrays(value);
  return value;
}

function markJsonArrays(root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  // Iterative, so a deeply nested payload cannot overflow the stack.
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(node)) JSON_ARRAYS.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}

/** Marks a list built from JSON matches (an indefinite JSONPath result) so it prints as JSON. */
export function asJsonArray(list: unknown[]): unknown[] {
  JSON_ARRAYS.add(list);
  return list;
}
