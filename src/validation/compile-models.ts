import Ajv04, { type ValidateFunction } from 'ajv-draft-04';
import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions } from '../config/types.js';
import type { AllOfBranch } from './fge-messages.js';
import { compileSafeRegex } from './safe-regex.js';

/** The API's models, each compiled once; `get(name)` is a model's Ajv function. */
export interface CompiledModels {
  names: readonly string[];
  get(name: string): ValidateFunction | undefined;
  allOfBranches: WeakMap<object, AllOfBranch>;
}

// AWS's absolute form of a reference to another model of the API (any API id).
const AWS_MODEL_REF = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;
const MODEL_BASE = 'https://apigateway.amazonaws.com/restapis/api/models/';
const DRAFT_04 = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The model's `#/definitions/...` target, if the model itself holds it. */
function hasLocal(root: Record<string, unknown>, pointer: string): boolean {
  let node: unknown = root;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
  }
  return true;
}

/**
 * A copy of a model with its references pointed at our ids: AWS's
 * `https://apigateway.amazonaws.com/restapis/{apiId}/models/{Name}` form, and (as an OpenAPI
 * import rewrites it) `#/definitions/{Name}` when the model has no such definition of its own.
 */
function rewriteRefs(
  name: string,
  root: Record<string, unknown>,
  known: ReadonlySet<string>,
  allOfBranches: WeakMap<object, AllOfBranch>,
): Record<string, unknown> {
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        out[key] = resolveRef(value);
        continue;
      }
      out[key] = copy(value);
      if (key === 'allOf' && Array.isArray(out[key])) {
        const allOf = out[key] as unknown[];
        allOf.forEach((branch, index) => {
          if (isObject(branch)) allOfBranches.set(branch, { allOf, index });
        });
      }
    }
    return out;
  };
  const resolveRef = (ref: string): string => {
    const aws = AWS_MODEL_REF.exec(ref);
    if (aws) {
      const target = decodeURIComponent(aws[1]);
      if (!known.has(target)) {
        throw new ConfigError(`models["${name}"]: $ref "${ref}": no model named "${target}"`);
      }
      return `${MODEL_BASE}${encodeURIComponent(target)}${aws[2] ?? ''}`;
    }
    const local = /^#\/definitions\/([^/]+)$/.exec(ref);
    if (local && !hasLocal(root, ref) && known.has(decodeURIComponent(local[1]))) {
      return `${MODEL_BASE}${encodeURIComponent(decodeURIComponent(local[1]))}`;
    }
    return ref;
  };
  return copy(root) as Record<string, unknown>;
}

/**
 * Ajv's regex engine: JavaScript's syntax and answers, RE2's linear time (see safe-regex.ts).
 * ECMA 262 is also what the models' validator reads a `pattern` as, a search, not a whole-string
 * match (java-json-tools/json-schema-validator, PatternKeywordValidator runs it on Rhino).
 */
const SAFE_REGEXP = Object.assign(
  (pattern: string, flags: string) => compileSafeRegex(pattern, flags, 'find'),
  {
    code: 'compileSafeRegex',
  },
);

const compiled = new WeakMap<ApiGatewayOptions, CompiledModels>();

/**
 * The API's `models`, checked and compiled once per options object: JSON Schema draft 4 on Ajv
 * (`allErrors` for the full detail, `strict: false` as models carry `title` and other
 * annotations, `ownProperties` as a parsed body has no inherited members). A model that does not compile is a ConfigError naming it, as create-model refuses it.
 */
export function compileModels(options: ApiGatewayOptions): CompiledModels {
  const cached = compiled.get(options);
  if (cached) return cached;
  const models = options.models ?? {};
  if (!isObject(models)) throw new ConfigError('models: must be an object of model name → JSON Schema');
  const names = Object.keys(models);
  const known = new Set(names);
  const allOfBranches = new WeakMap<object, AllOfBranch>();
  const ajv = new Ajv04({
    allErrors: true,
    strict: false,
    verbose: true,
    logger: false,
    // Draft 4 semantics: a $ref replaces its siblings; formats are not checked here.
    ignoreKeywordsWithRef: true,
    validateFormats: false,
    unicodeRegExp: false,
    // A body is JSON: `required: ["constructor"]` is not met by Object.prototype, nor does
    // `properties.toString` check an inherited function.
    ownProperties: true,
    // `pattern` and `patternProperties` run on a linear-time engine: a model's regex meets client strings.
    code: { regExp: SAFE_REGEXP },
  });
  for (const name of names) {
    const schema = models[name];
    if (!isObject(schema)) throw new ConfigError(`models["${name}"]: must be a JSON Schema object`);
    if (schema.$schema !== undefined && !DRAFT_04.test(String(schema.$schema))) {
      throw new ConfigError(
        `models["${name}"]: $schema ${JSON.stringify(schema.$schema)}: API Gateway models are JSON Schema draft 4 (http://json-schema.org/draft-04/schema#)`,
      );
    }
    const copy = rewriteRefs(name, schema, known, allOfBranches);
    copy.$schema = 'http://json-schema.org/draft-04/schema#';
    copy.id = `${MODEL_BASE}${encodeURIComponent(name)}`;
    try {
      ajv.addSchema(copy);
    } catch (error) {
      throw new ConfigError(`models["${name}"]: ${(error as Error).message}`);
    }
  }
  const functions = new Map<string, ValidateFunction>();
  for (const name of names) {
    try {
      functions.set(name, ajv.getSchema(`${MODEL_BASE}${encodeURIComponent(name)}`) as ValidateFunction);
    } catch (error) {
      throw new ConfigError(`models["${name}"]: ${(error as Error).message}`);
    }
  }
  const result: CompiledModels = { names, get: (name) => functions.get(name), allOfBranches };
  compiled.set(options, result);
  return result;
}
