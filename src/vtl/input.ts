import { toJavaJson } from './java-number.js';
import { javaToString } from './java-value.js';
import { type CompiledJsonPath, compileJsonPath, JsonPathError } from './json-path.js';
import { asJsonArray, parseJsonValue } from './json-value.js';
import { TemplateRenderError } from './template-errors.js';

/** `$input.params()`: the request's path, query string and header values, one per name. */
export interface TemplateParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

/**
 * `$input` for one render: the payload, parsed at most once and only if a template asks
 * (`$input.json`/`$input.path`), and the request parameters.
 */
export class TemplateInput {
  /** `$input.body`: the raw payload; an empty payload reads as `{}` (recorded: localstack test_input_body_formatting). */
  readonly body: string;
  readonly #params: TemplateParams;
  #document: unknown;
  #parsed = false;

  constructor(payload: string, params: TemplateParams) {
    this.body = payload === '' ? '{}' : payload;
    this.#params = params;
  }

  #read(path: unknown): { compiled: CompiledJsonPath; matches: unknown[] } {
    if (!this.#parsed) {
      this.#document = readPayload(this.body);
      this.#parsed = true;
    }
    let compiled: CompiledJsonPath;
    try {
      compiled = compileJsonPath(javaToString(path));
    } catch (error) {
      if (error instanceof JsonPathError) throw new TemplateRenderError(error.message);
      throw error;
    }
    return { compiled, matches: compiled.evaluate(this.#document) };
  }

  /**
   * `$input.json(path)`: JSON text of what the path selects. Like Jayway's `JsonPath.read`, a
   * definite path (`$.a[0]`) gives its one value, `""` when nothing matches; an indefinite one
   * (`$..a`, `[*]`, filters) gives the list of matches. Numbers are written as json-smart
   * writes them (`3.0`, `1.0E20`, every digit of a Long).
   */
  json(path: unknown): string {
    const { compiled, matches } = this.#read(path);
    if (!compiled.definite) return toJavaJson(matches) ?? '';
    return matches.length === 0 ? '' : (toJavaJson(matches[0]) ?? '');
  }

  /** `$input.path(path)`: the selected value itself (a map, list, string, number…); null when nothing matches. */
  path(path: unknown): unknown {
    const { compiled, matches } = this.#read(path);
    return compiled.definite ? matches[0] : asJsonArray(matches);
  }

  /** `$input.params()`: a fresh `{path, querystring, header}` map a template may modify freely. */
  allParams(): Record<string, Record<string, string>> {
    const { path, querystring, header } = this.#params;
    return { path: { ...path }, querystring: { ...querystring }, header: { ...header } };
  }

  /** `$input.params(name)`: path, then query string, then header (case-insensitive); `""` when absent. */
  param(name: unknown): string {
    const key = javaToString(name);
    const { path, querystring, header } = this.#params;
    if (Object.hasOwn(path, key)) return path[key];
    if (Object.hasOwn(querystring, key)) return querystring[key];
    if (Object.hasOwn(header, key)) return header[key];
    const lower = key.toLowerCase();
    for (const h of Object.keys(header)) if (h.toLowerCase() === lower) return header[h];
    return '';
  }
}

/** First characters of a payload json-smart reads as an object, array or quoted string, or refuses. */
const STRUCTURED_START = new Set(['{', '[', '"', "'", ':', '}', ']']);

/**
 * The payload as API Gateway's JSONPath library reads it: Jayway over json-smart in permissive
 * mode, which takes a text that does not start like a JSON object, array or quoted string and is
 * no JSON scalar (`name=Ann&x=1`, `hello world`) as one unquoted string, trimmed. So
 * `$input.path('$')` of a form post is its raw text (what the Serverless Framework's form template
 * splits on `&`, and the long-standing form templates answered on Stack Overflow 32057053) and
 * `$input.json('$')` is that text as a JSON string (`{"body": $input.json('$')}` hands a Slack
 * form post to the function as a string: nateyolles/slack-pokerbot#1). A broken object or array
 * stays an error. json-smart's other leniencies (single quotes, unquoted keys inside objects,
 * trailing data) are not copied.
 */
export function readPayload(body: string): unknown {
  const text = javaTrim(body);
  if (STRUCTURED_START.has(text[0])) return parseJsonValue(body, 'The payload');
  try {
    return parseJsonValue(text, 'The payload');
  } catch (error) {
    if (error instanceof TemplateRenderError) return text;
    throw error;
  }
}

/** Java's `String.trim()`: strips every character up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export const INPUT_METHODS = new Map<string, (input: TemplateInput, args: unknown[]) => unknown>([
  ['json', (input, args) => (args.length === 1 ? input.json(args[0]) : undefined)],
  ['path', (input, args) => (args.length === 1 ? input.path(args[0]) : undefined)],
  [
    'params',
    (input, args) =>
      args.length === 0 ? input.allParams() : args.length === 1 ? input.param(args[0]) : undefined,
  ],
  ['getBody', (input) => input.body],
]);
