import request from 'supertest';
import { toEventHeaders } from '../../src/http/event-headers.js';
import { type ApiGatewayOptions, apiGateway, type Method } from '../../src/index.js';
import { compileRequestValidator } from '../../src/validation/request-validator.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const PET = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Pet',
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name'],
};

const api = (method: Partial<Method>, extra: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions => ({
  functions: { echo: echoEvent },
  models: { Pet: PET },
  requestValidators: {
    all: { validateRequestBody: true, validateRequestParameters: true },
    body: { validateRequestBody: true },
    params: { validateRequestParameters: true },
    none: { validateRequestBody: false, validateRequestParameters: false },
  },
  resources: {
    '/pets/{id}': { POST: { ...proxy('echo'), ...method }, GET: { ...proxy('echo'), ...method } },
  },
  ...extra,
});

const PARAMS = {
  'method.request.querystring.qs1': true,
  'method.request.header.x-header-param': true,
  'method.request.path.issuer': true,
  'method.request.path.id': true,
  'method.request.querystring.dryRun': false,
};

describe.each(EXPRESS_VERSIONS)('request validation (Express %s)', (_v, factory) => {
  describe('required parameters', () => {
    const app = createApp(api({ requestValidator: 'all', requestParameters: PARAMS }), factory);

    it('answers 400 BadRequestException listing the missing names in AWS’s order (recorded: [x-header-param, issuer, qs1])', async () => {
      const res = await request(app).post('/prod/pets/1').send({ test: 'test' });
      expect(res.status).toBe(400);
      expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe(
        '{"message": "Missing required request parameters: [x-header-param, issuer, qs1]"}',
      );
    });

    it('lists only what is missing: a header alone, a query parameter alone (recorded)', async () => {
      const noHeader = await request(app).get('/prod/pets/1?qs1=test');
      expect(noHeader.status).toBe(400);
      expect(noHeader.body).toEqual({
        message: 'Missing required request parameters: [x-header-param, issuer]',
      });
      const noQuery = await request(app).get('/prod/pets/1').set('x-header-param', 'v');
      expect(noQuery.body).toEqual({ message: 'Missing required request parameters: [issuer, qs1]' });
    });

    it('matches header names case-insensitively; a parameter marked false is not required', async () => {
      const ok = createApp(
        api({
          requestValidator: 'params',
          requestParameters: {
            'method.request.header.X-Tenant': true,
            'method.request.querystring.dryRun': false,
          },
        }),
        factory,
      );
      const res = await request(ok).get('/prod/pets/1').set('x-tenant', 't1');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).headers['x-tenant']).toBe('t1');
      const missing = await request(ok).get('/prod/pets/1').set('X-TENANTS', 't1');
      expect(missing.text).toBe('{"message": "Missing required request parameters: [X-Tenant]"}');
    });

    it('treats blank values as missing', async () => {
      const res = await request(app).get('/prod/pets/1?qs1=%20').set('x-header-param', '  ');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        message: 'Missing required request parameters: [x-header-param, issuer, qs1]',
      });
      const empty = await request(app).get('/prod/pets/1?qs1');
      expect(empty.body.message).toBe('Missing required request parameters: [x-header-param, issuer, qs1]');
    });

    it('checks parameters before the body (recorded: an all-missing POST reports the parameters)', async () => {
      const both = createApp(
        api({
          requestValidator: 'all',
          requestParameters: { 'method.request.querystring.qs1': true },
          requestModels: { 'application/json': 'Pet' },
        }),
        factory,
      );
      const res = await request(both).post('/prod/pets/1').send({ nope: 1 });
      expect(res.text).toBe('{"message": "Missing required request parameters: [qs1]"}');
      const body = await request(both).post('/prod/pets/1?qs1=a').send({ nope: 1 });
      expect(body.text).toBe('{"message": "Invalid request body"}');
      const pass = await request(both).post('/prod/pets/1?qs1=a').send({ name: 'Rex' });
      expect(pass.status).toBe(200);
    });

    it('does not check parameters with a body-only validator', async () => {
      const bodyOnly = createApp(api({ requestValidator: 'body', requestParameters: PARAMS }), factory);
      expect((await request(bodyOnly).get('/prod/pets/1')).status).toBe(200);
    });
  });

  describe('body against the model', () => {
    const app = createApp(
      api({ requestValidator: 'all', requestModels: { 'application/json': 'Pet' } }),
      factory,
    );

    it('passes a body that matches and hands the handler the bytes as sent', async () => {
      const res = await request(app)
        .post('/prod/pets/1')
        .set('content-type', 'application/json')
        .send('{"name": "Rex"}');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).body).toBe('{"name": "Rex"}');
    });

    it('answers 400 Invalid request body, BadRequestException, for a body that does not', async () => {
      const res = await request(app).post('/prod/pets/1').send({ age: 1 });
      expect(res.status).toBe(400);
      expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
      expect(res.text).toBe('{"message": "Invalid request body"}');
      const wrongType = await request(app).post('/prod/pets/1').send({ name: 'Rex', age: -1 });
      expect(wrongType.status).toBe(400);
      const requiredOnly = createApp(
        api(
          { requestValidator: 'body', requestModels: { 'application/json': 'Constructor' } },
          { models: { Constructor: { type: 'object', required: ['constructor'] } } },
        ),
        factory,
      );
      const open = await request(requiredOnly).post('/prod/pets/1').send({});
      expect(open.status).toBe(400);
      expect(open.text).toBe('{"message": "Invalid request body"}');
    });

    it('validates a missing body as {} (recorded: GET without a body, no Content-Type, is refused)', async () => {
      const res = await request(app).get('/prod/pets/1');
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"message": "Invalid request body"}');
      const passes = createApp(
        api(
          { requestValidator: 'body', requestModels: { 'application/json': 'Open' } },
          { models: { Open: { type: 'object' } } },
        ),
        factory,
      );
      expect((await request(passes).get('/prod/pets/1')).status).toBe(200);
    });

    it('refuses {} when required names an Object.prototype member, and looks only at the body’s own properties', async () => {
      const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
      const inherited = createApp(
        api(
          {
            requestValidator: 'body',
            requestModels: { 'application/json': 'Inherited' },
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: [{ statusCode: '200' }],
            },
          },
          {
            models: {
              Inherited: {
                type: 'object',
                required: names,
                properties: { constructor: { type: 'string' }, toString: { type: 'string' } },
              },
            },
            gatewayResponses: {
              BAD_REQUEST_BODY: {
                statusCode: '400',
                responseTemplates: {
                  'application/json': '{"detail": "$context.error.validationErrorString"}',
                },
              },
            },
          },
        ),
        factory,
      );
      const empty = await request(inherited)
        .post('/prod/pets/1')
        .set('content-type', 'application/json')
        .send('{}');
      expect(empty.status).toBe(400);
      expect(JSON.parse(empty.text)).toEqual({
        detail:
          '[object has missing required properties (["__proto__","constructor","hasOwnProperty","toString"])]',
      });
      // JSON.parse makes "__proto__" an own property, as Jackson reads it.
      const present = await request(inherited)
        .post('/prod/pets/1')
        .set('content-type', 'application/json')
        .send('{"__proto__": 1, "constructor": "c", "hasOwnProperty": 2, "toString": "t"}');
      expect(present.status).toBe(200);
      const wrongType = await request(inherited)
        .post('/prod/pets/1')
        .set('content-type', 'application/json')
        .send('{"__proto__": 1, "constructor": 5, "hasOwnProperty": 2, "toString": "t"}');
      expect(wrongType.status).toBe(400);
    });

    it('refuses a body that is not JSON', async () => {
      const res = await request(app)
        .post('/prod/pets/1')
        .set('content-type', 'application/json')
        .send('{"name":');
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"message": "Invalid request body"}');
    });

    it('does not validate a content type without a model (AWS docs), and uses $default when set', async () => {
      const res = await request(app).post('/prod/pets/1').set('content-type', 'text/plain').send('not json');
      expect(res.status).toBe(200);
      const withDefault = createApp(
        api({ requestValidator: 'body', requestModels: { $default: 'Pet' } }),
        factory,
      );
      const refused = await request(withDefault)
        .post('/prod/pets/1')
        .set('content-type', 'text/plain')
        .send('{}');
      expect(refused.status).toBe(400);
      const charset = await request(app)
        .post('/prod/pets/1')
        .set('content-type', 'Application/JSON; charset=utf-8')
        .send('{}');
      expect(charset.status).toBe(400);
    });

    it('does not check the body with a parameters-only validator, nor with a model alone', async () => {
      const paramsOnly = createApp(
        api({ requestValidator: 'params', requestModels: { 'application/json': 'Pet' } }),
        factory,
      );
      expect((await request(paramsOnly).post('/prod/pets/1').send({ age: 'x' })).status).toBe(200);
      const modelOnly = createApp(api({ requestModels: { 'application/json': 'Pet' } }), factory);
      expect((await request(modelOnly).post('/prod/pets/1').send({ age: 'x' })).status).toBe(200);
      const flagsOff = createApp(
        api({ requestValidator: 'none', requestModels: { 'application/json': 'Pet' } }),
        factory,
      );
      expect((await request(flagsOff).post('/prod/pets/1').send('x')).status).toBe(200);
    });

    it('resolves $ref to another model in AWS’s URL form and as #/definitions/Name (recorded: array of refs)', async () => {
      const list = createApp(
        api(
          { requestValidator: 'body', requestModels: { 'application/json': 'PetList' } },
          {
            models: {
              Pet: PET,
              PetList: {
                type: 'array',
                items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Pet' },
              },
              Owner: {
                type: 'object',
                properties: { pet: { $ref: '#/definitions/Pet' }, home: { $ref: '#/definitions/Home' } },
                definitions: { Home: { type: 'string' } },
              },
            },
          },
        ),
        factory,
      );
      expect(
        (
          await request(list)
            .post('/prod/pets/1')
            .send([{ name: 'a', age: 1 }])
        ).status,
      ).toBe(200);
      expect(
        (
          await request(list)
            .post('/prod/pets/1')
            .send([{ age: 1 }])
        ).status,
      ).toBe(400);
      expect((await request(list).post('/prod/pets/1')).status).toBe(400); // {} is not an array (recorded)
      const owner = createApp(
        api(
          { requestValidator: 'body', requestModels: { 'application/json': 'Owner' } },
          {
            models: {
              Pet: PET,
              Owner: {
                type: 'object',
                properties: { pet: { $ref: '#/definitions/Pet' }, home: { $ref: '#/definitions/Home' } },
                definitions: { Home: { type: 'string' } },
              },
            },
          },
        ),
        factory,
      );
      expect(
        (
          await request(owner)
            .post('/prod/pets/1')
            .send({ pet: { name: 'a' }, home: 'x' })
        ).status,
      ).toBe(200);
      expect((await request(owner).post('/prod/pets/1').send({ pet: {} })).status).toBe(400);
      expect(
        (
          await request(owner)
            .post('/prod/pets/1')
            .send({ pet: { name: 'a' }, home: 1 })
        ).status,
      ).toBe(400);
    });

    it('accepts null or a referenced model inside oneOf (recorded: test_api_gateway_request_validator_with_ref_one_ofmodels)', async () => {
      const app2 = createApp(
        api(
          { requestValidator: 'all', requestModels: { 'application/json': 'TestModel' } },
          {
            models: {
              StatusModel: {
                type: 'object',
                properties: { Status: { type: 'string' }, Order: { type: 'integer' } },
                required: ['Status', 'Order'],
              },
              TestModel: {
                type: 'object',
                properties: {
                  status: {
                    oneOf: [
                      { type: 'null' },
                      { $ref: 'https://apigateway.amazonaws.com/restapis/xyz/models/StatusModel' },
                    ],
                  },
                },
                required: ['status'],
              },
            },
          },
        ),
        factory,
      );
      expect((await request(app2).post('/prod/pets/1').send({ status: null })).status).toBe(200);
      expect(
        (
          await request(app2)
            .post('/prod/pets/1')
            .send({ status: { Status: 'works', Order: 1 } })
        ).status,
      ).toBe(200);
      expect((await request(app2).post('/prod/pets/1')).status).toBe(400);
      expect((await request(app2).post('/prod/pets/1').send({ badFormat: 'bla' })).status).toBe(400);
    });
  });
});

describe('the detail for $context.error.validationErrorString', () => {
  // The GatewayError the validator returns carries it; gateway responses render it.
  it('is fge’s message in brackets, on the BAD_REQUEST_BODY error', () => {
    const options = api({});
    const method = {
      ...proxy('echo'),
      requestValidator: 'all',
      requestModels: { 'application/json': 'Pet' },
    } as Method;
    const validator = compileRequestValidator('POST /pets/{id}', method, options);
    const req = (body: string, headers: string[] = ['content-type', 'application/json']) =>
      ({ headers: toEventHeaders(headers), body: Buffer.from(body), query: null }) as never;
    const route = { resourcePath: '/pets/{id}', resourceId: 'r', pathParameters: { id: '1' } };
    const err = validator?.validate(req('{"age":"x"}'), route);
    expect(err?.responseType).toBe('BAD_REQUEST_BODY');
    expect(err?.statusCode).toBe(400);
    expect(err?.body).toBe('{"message": "Invalid request body"}');
    expect(err?.validationErrorString).toBe('[object has missing required properties (["name"])]');
    expect(validator?.validate(req('{"name":"a","age":"x"}'), route)?.validationErrorString).toBe(
      '[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]',
    );
    expect(validator?.validate(req(''), route)?.validationErrorString).toBe(
      '[Unknown error parsing request body]',
    );
    expect(validator?.validate(req('nope'), route)?.validationErrorString).toBe(
      '[Unknown error parsing request body]',
    );
    expect(validator?.validate(req('{"name":"a"}'), route)).toBeUndefined();
  });

  it('holds the message text for missing parameters', () => {
    const method = {
      ...proxy('echo'),
      requestValidator: 'params',
      requestParameters: { 'method.request.header.h': true },
    } as Method;
    const validator = compileRequestValidator('GET /pets/{id}', method, api({}));
    const err = validator?.validate(
      { headers: toEventHeaders([]), body: Buffer.alloc(0), query: null } as never,
      {
        resourcePath: '/pets/{id}',
        resourceId: 'r',
        pathParameters: { id: '1' },
      },
    );
    expect(err?.responseType).toBe('BAD_REQUEST_PARAMETERS');
    expect(err?.validationErrorString).toBe('Missing required request parameters: [h]');
    expect(err?.body).toBe('{"message": "Missing required request parameters: [h]"}');
  });
});

describe('startup warnings for fields no validator checks', () => {
  it('names requestModels and requestParameters only when no validator enforces them', () => {
    const logger = silentLogger();
    apiGateway({
      ...api({}),
      logger,
      resources: {
        '/a': {
          GET: {
            ...proxy('echo'),
            requestModels: { 'application/json': 'Pet' },
            requestParameters: { 'method.request.header.h': true },
          },
        },
        '/b': {
          GET: {
            ...proxy('echo'),
            requestValidator: 'all',
            requestModels: { 'application/json': 'Pet' },
            requestParameters: { 'method.request.header.h': true },
          },
        },
        '/c': {
          GET: {
            ...proxy('echo'),
            requestValidator: 'params',
            requestModels: { 'application/json': 'Pet' },
            requestParameters: { 'method.request.header.h': false },
          },
        },
      },
    });
    expect(logger.calls.filter((c) => c.level === 'warn').map((c) => c.args[0])).toEqual([
      'apigw-express: GET /a: requestModels, requestParameters not checked: no requestValidator validates them (as on AWS, requests pass unchecked)',
      'apigw-express: GET /c: requestModels not checked: no requestValidator validates them (as on AWS, requests pass unchecked)',
    ]);
  });
});
