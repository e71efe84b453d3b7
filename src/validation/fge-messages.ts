import type { ErrorObject } from 'ajv-draft-04';

/**
 * Where an `allOf` branch sits: fge reports a failed `allOf` as one error ("matched only 1 out
 * of 2"), where Ajv reports the branches' own errors.
 */
export interface AllOfBranch {
  allOf: readonly unknown[];
  index: number;
}

interface FgeError {
  path: string[];
  keyword: string;
  message: string;
}

const json = (value: unknown): string => JSON.stringify(value);

/** fge's NodeType name: JSON numbers written without a fraction are `integer`. */
function nodeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value; // boolean, string, object
}

// fge lists types in NodeType order (alphabetical), and `number` admits `integer`.
function allowedTypes(schemaType: unknown): string[] {
  const types = new Set<string>(Array.isArray(schemaType) ? (schemaType as string[]) : [String(schemaType)]);
  if (types.has('number')) types.add('integer');
  return [...types].sort();
}

const codePoints = (text: string): number => [...text].length;

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const isUnder = (pointer: string, base: string): boolean =>
  pointer === base || (pointer.startsWith(base) && pointer.charCodeAt(base.length) === 47);

/** One fge message for one Ajv error (`verbose: true`, so `data` and `schema` are there). */
function fgeMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const data = e.data;
  switch (e.keyword) {
    case 'type':
      return `instance type (${nodeType(data)}) does not match any allowed primitive type (allowed: ${json(allowedTypes(e.schema))})`;
    case 'enum':
      return `instance value (${json(data)}) not found in enum (possible values: ${json(e.schema)})`;
    case 'minimum':
      return (data as number) < (p.limit as number)
        ? `numeric instance is lower than the required minimum (minimum: ${p.limit}, found: ${data})`
        : `numeric instance is not strictly greater than the required minimum ${p.limit}`;
    case 'maximum':
      return (data as number) > (p.limit as number)
        ? `numeric instance is greater than the required maximum (maximum: ${p.limit}, found: ${data})`
        : `numeric instance is not strictly lower than the required maximum ${p.limit}`;
    case 'minLength':
      return `string "${data}" is too short (length: ${codePoints(data as string)}, required minimum: ${p.limit})`;
    case 'maxLength':
      return `string "${data}" is too long (length: ${codePoints(data as string)}, maximum allowed: ${p.limit})`;
    case 'pattern':
      return `ECMA 262 regex "${p.pattern}" does not match input string "${data}"`;
    case 'minItems':
      return `array is too short: must have at least ${p.limit} elements but instance has ${(data as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${p.limit} elements but instance has ${(data as unknown[]).length} elements`;
    case 'additionalItems':
      return `schema only allows ${p.limit} elements in array but instance has ${(data as unknown[]).length} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'minProperties':
      return `object has too few properties (found ${Object.keys(data as object).length} but schema requires at least ${p.limit})`;
    case 'maxProperties':
      return `object has too many properties (found ${Object.keys(data as object).length} but schema requires at most ${p.limit})`;
    case 'multipleOf':
      return `remainder of division is not zero (${data} / ${p.multipleOf})`;
    case 'oneOf': {
      const passing = p.passingSchemas as number[] | null;
      return `instance failed to match exactly one schema (matched ${passing ? passing.length : 0} out of ${(e.schema as unknown[]).length})`;
    }
    case 'anyOf':
      return `instance failed to match at least one required schema among ${(e.schema as unknown[]).length}`;
    case 'not':
      return 'instance matched a schema which it should not have';
    case 'dependencies': {
      const deps = (e.schema as Record<string, string[]>)[p.property as string] ?? [];
      const present = data as Record<string, unknown>;
      const missing = deps.filter((d) => !Object.hasOwn(present, d));
      return `property "${p.property}" of object has missing property dependencies (schema requires ${json(deps)}; missing: ${json(missing)})`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

/** fge visits a container's children in order: object members by name, array items by index. */
function compareNodes(a: string[], b: string[], data: unknown): number {
  let node = data;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      if (Array.isArray(node)) return Number(a[i]) - Number(b[i]);
      return a[i] < b[i] ? -1 : 1;
    }
    node = (node as Record<string, unknown> | undefined)?.[a[i]];
  }
  return a.length - b.length;
}

const isProperPrefix = (prefix: string[], path: string[]): boolean =>
  prefix.length < path.length && prefix.every((s, i) => s === path[i]);

/**
 * Ajv's errors (`allErrors`, `verbose`) → API Gateway's `$context.error.validationErrorString`,
 * in the words of the validator AWS runs (java-json-tools json-schema-validator, "fge"): the
 * messages of `validation.properties`, one per keyword and node, with the lists (missing and
 * unwanted properties) sorted.
 *
 * fge validates a node's keywords in keyword-name order, then its children in order, and stops
 * descending once the report holds an error; so errors under a later sibling of a failed node
 * are not reported. Composite keywords (oneOf, anyOf, allOf, not) report one message, not their
 * branches' errors.
 * @example
 * validationErrorString(errors, {}) // '[object has missing required properties (["name"])]'
 */
export function validationErrorString(
  errors: readonly ErrorObject[],
  data: unknown,
  allOfBranches?: WeakMap<object, AllOfBranch>,
): string {
  // A failed oneOf/anyOf is preceded by the errors of its branches: drop them.
  const dropped = new Set<number>();
  errors.forEach((e, k) => {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return;
    for (let j = k - 1; j >= 0; j--) {
      const b = errors[j];
      if (!isUnder(b.instancePath, e.instancePath)) break;
      if (b.instancePath === e.instancePath && b.parentSchema === e.parentSchema) break; // a sibling keyword
      dropped.add(j);
    }
  });

  const merged = new Map<string, { path: string[]; keyword: string; names: string[]; message?: string }>();
  const allOfFailures = new Map<string, { path: string[]; branch: AllOfBranch; failed: Set<number> }>();
  const out: FgeError[] = [];
  let seq = 0;
  const ids = new WeakMap<object, number>();
  const idOf = (o: unknown): number => {
    if (typeof o !== 'object' || o === null) return 0;
    let id = ids.get(o);
    if (id === undefined) {
      id = ++seq;
      ids.set(o, id);
    }
    return id;
  };
  errors.forEach((e, k) => {
    if (dropped.has(k)) return;
    const branch =
      typeof e.parentSchema === 'object' && e.parentSchema !== null
        ? allOfBranches?.get(e.parentSchema)
        : undefined;
    if (branch) {
      const key = `${e.instancePath}\0${idOf(branch.allOf)}`;
      const entry = allOfFailures.get(key) ?? {
        path: pointerSegments(e.instancePath),
        branch,
        failed: new Set(),
      };
      entry.failed.add(branch.index);
      allOfFailures.set(key, entry);
      return;
    }
    if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
      const key = `${e.keyword}\0${e.instancePath}\0${idOf(e.parentSchema)}`;
      const entry = merged.get(key) ?? {
        path: pointerSegments(e.instancePath),
        keyword: e.keyword,
        names: [],
      };
      const p = e.params as { missingProperty?: string; additionalProperty?: string };
      entry.names.push((e.keyword === 'required' ? p.missingProperty : p.additionalProperty) as string);
      merged.set(key, entry);
      return;
    }
    out.push({ path: pointerSegments(e.instancePath), keyword: e.keyword, message: fgeMessage(e) });
  });
  for (const { path, keyword, names } of merged.values()) {
    const list = json([...new Set(names)].sort());
    out.push({
      path,
      keyword,
      message:
        keyword === 'required'
          ? `object has missing required properties (${list})`
          : `object instance has properties which are not allowed by the schema: ${list}`,
    });
  }
  for (const { path, branch, failed } of allOfFailures.values()) {
    const size = branch.allOf.length;
    out.push({
      path,
      keyword: 'allOf',
      message: `instance failed to match all required schemas (matched only ${size - failed.size} out of ${size})`,
    });
  }

  out.sort(
    (a, b) =>
      compareNodes(a.path, b.path, data) || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0),
  );
  // Reported: the first failing node, and the later nodes fge still visits, whose parent is an
  // ancestor of it (it validated their keywords before it stopped descending).
  const first = out[0]?.path;
  const reported = out.filter(
    (e) =>
      first === undefined ||
      compareNodes(e.path, first, data) === 0 ||
      isProperPrefix(e.path.slice(0, -1), first),
  );
  return `[${reported.map((e) => e.message).join(', ')}]`;
}
