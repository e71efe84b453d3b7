import type { ApiGatewayOptions, ModelSchema } from '../../src/index.js';
import { compileModels } from '../../src/validation/compile-models.js';
import { validationErrorString } from '../../src/validation/fge-messages.js';

/** The detail fge gives for `body` against `schema` (models: any others it references). */
function detail(schema: ModelSchema, body: unknown, models: Record<string, ModelSchema> = {}): string {
  const options = { resources: {}, models: { M: schema, ...models } } as ApiGatewayOptions;
  const compiled = compileModels(options);
  const validate = compiled.get('M');
  if (!validate) throw new Error('no model');
  expect(validate(body)).toBe(false);
  return validationErrorString(validate.errors ?? [], body, compiled.allOfBranches);
}

describe("validationErrorString: fge json-schema-validator's wording", () => {
  it('lists missing required properties sorted, as a JSON array (recorded wording)', () => {
    expect(
      detail({ type: 'object', required: ['type', 'timestamp', 'transactionId', 'ok'] }, { ok: 1 }),
    ).toBe('[object has missing required properties (["timestamp","transactionId","type"])]');
  });

  it('names the found type and the allowed ones; number admits integer (recorded wording)', () => {
    expect(detail({ type: 'number' }, 'x')).toBe(
      '[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]',
    );
    expect(detail({ type: ['string', 'boolean'] }, 1.5)).toBe(
      '[instance type (number) does not match any allowed primitive type (allowed: ["boolean","string"])]',
    );
    expect(detail({ type: 'object' }, null)).toBe(
      '[instance type (null) does not match any allowed primitive type (allowed: ["object"])]',
    );
  });

  it('enum: the value and the possible values as JSON', () => {
    expect(detail({ enum: ['A', 'B', 1] }, 'AB')).toBe(
      '[instance value ("AB") not found in enum (possible values: ["A","B",1])]',
    );
  });

  it('minimum and maximum, inclusive and exclusive', () => {
    expect(detail({ minimum: 315529200000 }, 1)).toBe(
      '[numeric instance is lower than the required minimum (minimum: 315529200000, found: 1)]',
    );
    expect(detail({ minimum: 0, exclusiveMinimum: true }, 0)).toBe(
      '[numeric instance is not strictly greater than the required minimum 0]',
    );
    expect(detail({ maximum: 10 }, 10.5)).toBe(
      '[numeric instance is greater than the required maximum (maximum: 10, found: 10.5)]',
    );
    expect(detail({ maximum: 10, exclusiveMaximum: true }, 10)).toBe(
      '[numeric instance is not strictly lower than the required maximum 10]',
    );
  });

  it('minLength and maxLength count code points', () => {
    expect(detail({ minLength: 3 }, 'ab')).toBe(
      '[string "ab" is too short (length: 2, required minimum: 3)]',
    );
    expect(detail({ maxLength: 1 }, '😀😀')).toBe(
      '[string "😀😀" is too long (length: 2, maximum allowed: 1)]',
    );
  });

  it('pattern', () => {
    expect(detail({ pattern: '^[a-z]+$' }, 'A1')).toBe(
      '[ECMA 262 regex "^[a-z]+$" does not match input string "A1"]',
    );
  });

  it('additionalProperties: the unwanted names, sorted', () => {
    expect(
      detail({ type: 'object', properties: { a: {} }, additionalProperties: false }, { z: 1, a: 1, b: 2 }),
    ).toBe('[object instance has properties which are not allowed by the schema: ["b","z"]]');
  });

  it('minItems and maxItems', () => {
    expect(detail({ minItems: 2 }, [1])).toBe(
      '[array is too short: must have at least 2 elements but instance has 1 elements]',
    );
    expect(detail({ maxItems: 1 }, [1, 2])).toBe(
      '[array is too long: must have at most 1 elements but instance has 2 elements]',
    );
  });

  it('oneOf and anyOf: one message, not the branches (recorded oneOf wording)', () => {
    expect(detail({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, true)).toBe(
      '[instance failed to match exactly one schema (matched 0 out of 2)]',
    );
    expect(detail({ oneOf: [{ type: 'number' }, { minimum: 0 }] }, 3)).toBe(
      '[instance failed to match exactly one schema (matched 2 out of 2)]',
    );
    expect(detail({ anyOf: [{ type: 'string' }, { type: 'object' }, { minimum: 3 }] }, 1)).toBe(
      '[instance failed to match at least one required schema among 3]',
    );
  });

  it('oneOf through a $ref to another model drops that model’s errors too', () => {
    const status = { type: 'object', required: ['Status', 'Order'] };
    const schema = {
      type: 'object',
      properties: {
        status: {
          oneOf: [
            { type: 'null' },
            { $ref: 'https://apigateway.amazonaws.com/restapis/abc123/models/Status' },
          ],
        },
      },
    };
    expect(detail(schema, { status: { Status: 'a' } }, { Status: status })).toBe(
      '[instance failed to match exactly one schema (matched 0 out of 2)]',
    );
  });

  it('allOf, not and the other draft 4 keywords', () => {
    expect(detail({ allOf: [{ type: 'string' }, { minLength: 3 }, { maxLength: 9 }] }, 'ab')).toBe(
      '[instance failed to match all required schemas (matched only 2 out of 3)]',
    );
    expect(detail({ not: { type: 'string' } }, 'a')).toBe(
      '[instance matched a schema which it should not have]',
    );
    expect(detail({ uniqueItems: true }, [1, 1])).toBe('[array must not contain duplicate elements]');
    expect(detail({ multipleOf: 3 }, 7)).toBe('[remainder of division is not zero (7 / 3)]');
    expect(detail({ minProperties: 2 }, { a: 1 })).toBe(
      '[object has too few properties (found 1 but schema requires at least 2)]',
    );
    expect(detail({ maxProperties: 0 }, { a: 1 })).toBe(
      '[object has too many properties (found 1 but schema requires at most 0)]',
    );
  });

  it('orders a node’s errors by keyword name, and stops descending after the first failing node', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: { a: { type: 'string' }, b: { type: 'string' } },
    };
    // The root fails (required): fge never looks at the members.
    expect(detail(schema, { a: 1, b: 2 })).toBe('[object has missing required properties (["id"])]');
    // Members visited by name: both leaves are checked (their parent, the root, passed).
    expect(detail(schema, { id: 1, b: 2, a: 1 })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    );
    const nested = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { x: { type: 'string' } } },
        b: { type: 'object', required: ['y'], properties: { z: { type: 'string' } } },
      },
    };
    // /a/x fails first; /b is still visited (its parent is an ancestor), /b/z is not.
    expect(detail(nested, { b: { z: 1 }, a: { x: 1 } })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), object has missing required properties (["y"])]',
    );
    expect(detail({ type: 'string', minLength: 5, pattern: '^a' }, 'b')).toBe(
      '[string "b" is too short (length: 1, required minimum: 5), ECMA 262 regex "^a" does not match input string "b"]',
    );
  });

  it('visits array items by index', () => {
    expect(detail({ items: { type: 'string' } }, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 1])).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    );
  });
});
