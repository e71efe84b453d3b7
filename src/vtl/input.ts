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
      this.#document = parseJsonValue(this.body, 'The payload');
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
