import fc from 'fast-check';
import { toEventHeaders } from '../../src/http/event-headers.js';
import { type ApiGatewayOptions, apiGateway, ConfigError, type Method } from '../../src/index.js';
import { compileRequestValidator } from '../../src/validation/request-validator.js';
import { silentLogger } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const options = (method: Partial<Method>, extra: Record<string, unknown> = {}): ApiGatewayOptions =>
  ({
    logger: silentLogger(),
    functions: { echo: async () => ({ statusCode: 200, body: '' }) },
    models: { Pet: { type: 'object', required: ['name'] } },
    requestValidators: { all: { validateRequestBody: true, validateRequestParameters: true } },
    resources: { '/pets': { POST: { ...proxy('echo'), ...method } } },
    ...extra,
  }) as ApiGatewayOptions;

function configError(opts: ApiGatewayOptions): string {
  try {
    apiGateway(opts);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('apiGateway() accepted the config');
}

describe('request validation config errors at apiGateway() time', () => {
  it.each([
    [
      'an unknown request validator',
      options({ requestValidator: 'al' }),
      'POST /pets: requestValidator: unknown request validator "al" (known: all)',
    ],
    [
      'an unknown model, even without a validator (put-method refuses it)',
      options({ requestModels: { 'application/json': 'Pett' } }),
      'POST /pets: requestModels["application/json"]: unknown model "Pett" (known: Pet)',
    ],
    [
      'a model that is not a JSON Schema object',
      options({}, { models: { Pet: 'nope' } }),
      'models["Pet"]: must be a JSON Schema object',
    ],
    [
      'a model of another draft',
      options({}, { models: { Pet: { $schema: 'http://json-schema.org/draft-07/schema#' } } }),
      'models["Pet"]: $schema "http://json-schema.org/draft-07/schema#": API Gateway models are JSON Schema draft 4 (http://json-schema.org/draft-04/schema#)',
    ],
    [
      'a $ref to a model that does not exist',
      options({}, { models: { Pet: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Nope' } } }),
      'models["Pet"]: $ref "https://apigateway.amazonaws.com/restapis/abc/models/Nope": no model named "Nope"',
    ],
    [
      'a validator with an unknown field',
      options({}, { requestValidators: { all: { validateBody: true } } }),
      'requestValidators["all"]: unknown field "validateBody" (allowed: validateRequestBody, validateRequestParameters)',
    ],
    [
      'a validator flag that is not a boolean',
      options({}, { requestValidators: { all: { validateRequestBody: 'yes' } } }),
      'requestValidators["all"].validateRequestBody: must be a boolean',
    ],
    [
      'a malformed required parameter',
      options({ requestValidator: 'all', requestParameters: { 'method.request.cookie.a': true } }),
      'POST /pets: requestParameters["method.request.cookie.a"]: keys are method.request.{path|querystring|header}.{name}',
    ],
  ])('%s', (_name, opts, message) => {
    expect(configError(opts)).toBe(message);
  });

  it('a model that does not compile names the model', () => {
    expect(configError(options({}, { models: { Pet: { type: 'nope' } } }))).toMatch(
      /^models\["Pet"\]: schema is invalid/,
    );
    expect(configError(options({}, { models: { Pet: { $ref: '#/definitions/Missing' } } }))).toMatch(
      /^models\["Pet"\]: can't resolve reference #\/definitions\/Missing/,
    );
    expect(configError(options({}, { models: { Pet: { pattern: '(' } } }))).toMatch(/^models\["Pet"\]: /);
  });

  it('leaves the user’s model objects untouched', () => {
    const pet = { type: 'object', properties: { o: { $ref: '#/definitions/Owner' } } };
    const opts = options({}, { models: { Pet: pet, Owner: { type: 'object' } } });
    apiGateway(opts);
    expect(pet).toEqual({ type: 'object', properties: { o: { $ref: '#/definitions/Owner' } } });
  });
});

describe('property: a required-list model passes exactly the objects holding every required key', () => {
  it('holds for random objects and random required lists', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'name', 'Z', '__proto__x', 'é');
    fc.assert(
      fc.property(
        // Draft 4: `required` holds at least one name.
        fc.uniqueArray(key, { minLength: 1, maxLength: 5 }),
        fc.dictionary(key, fc.jsonValue(), { maxKeys: 6 }),
        (required, body) => {
          const opts = options(
            {},
            {
              models: { M: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required } },
            },
          );
          const method = {
            ...proxy('echo'),
            requestValidator: 'all',
            requestModels: { 'application/json': 'M' },
          } as Method;
          const validator = compileRequestValidator('POST /pets', method, opts);
          const error = validator?.validate(
            { headers: toEventHeaders([]), body: Buffer.from(JSON.stringify(body)), query: null } as never,
            { resourcePath: '/pets', resourceId: 'r', pathParameters: null },
          );
          const missing = required.filter((k) => !Object.hasOwn(body, k)).sort();
          if (missing.length === 0) return error === undefined;
          return (
            error?.statusCode === 400 &&
            error.validationErrorString ===
              `[object has missing required properties (${JSON.stringify(missing)})]`
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
