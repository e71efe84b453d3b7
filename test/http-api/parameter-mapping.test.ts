import fc from 'fast-check';
import request from 'supertest';
import { parseValue, render } from '../../src/http-api/parameter-mapping.js';
import { type HttpApiOptions, type HttpIntegration, httpApi } from '../../src/index.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

function api(
  integration: Partial<HttpIntegration>,
  handler: (...a: never[]) => unknown = echo,
): HttpApiOptions {
  return {
    functions: { fn: { handler: handler as never } },
    routes: { 'POST /pets/{id}': { integration: { function: 'fn', ...integration } } },
    stageVariables: { env: 'test' },
  };
}

describe.each(HOSTS)('HTTP API parameter mapping, %s', (_name, host) => {
  test('request headers: overwrite, append, remove, from header, query, path, context, stage variable, static', async () => {
    const res = await request(
      host(
        api({
          requestParameters: {
            'overwrite:header.x-user': '$request.header.X-Client',
            'append:header.x-list': '$request.querystring.tag',
            'remove:header.x-drop': "''",
            'overwrite:header.x-pet': '$request.path.id',
            'overwrite:header.x-stage': '$stageVariables.env',
            'overwrite:header.x-method': '$context.httpMethod',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own ${…} mapping syntax
            'overwrite:header.x-mix': 'pet-${request.path.id}-${stageVariables.env}',
            'overwrite:header.x-static': 'fixed',
            'overwrite:header.x-name': '$request.body.name',
          },
        }),
      ),
    )
      .post('/pets/7?tag=a&tag=b')
      .set('x-client', 'c1')
      .set('x-list', 'first')
      .set('x-drop', 'gone')
      .set('content-type', 'application/json')
      .send({ name: 'rex' });
    expect(res.status).toBe(200);
    const headers = res.body.headers;
    expect(headers['x-user']).toBe('c1');
    expect(headers['x-list']).toBe('first,a,b');
    expect(headers['x-drop']).toBeUndefined();
    expect(headers['x-pet']).toBe('7');
    expect(headers['x-stage']).toBe('test');
    expect(headers['x-method']).toBe('POST');
    expect(headers['x-mix']).toBe('pet-7-test');
    expect(headers['x-static']).toBe('fixed');
    expect(headers['x-name']).toBe('rex');
  });

  test('query strings: overwrite, append, remove; rawQueryString follows', async () => {
    const res = await request(
      host(
        api({
          requestParameters: {
            'overwrite:querystring.a': 'one',
            'append:querystring.b': '$request.header.x-b',
            'remove:querystring.c': "''",
          },
        }),
      ),
    )
      .post('/pets/1?a=x&b=y&c=z')
      .set('x-b', 'two');
    expect(res.body.queryStringParameters).toEqual({ a: 'one', b: 'y,two' });
    expect(res.body.rawQueryString).toBe('a=one&b=y&b=two');
  });

  test('overwrite:path', async () => {
    const res = await request(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own ${…} mapping syntax
      host(api({ requestParameters: { 'overwrite:path': '/items/${request.path.id}' } })),
    ).post('/pets/9');
    expect(res.body.rawPath).toBe('/items/9');
  });

  test('a source the request lacks leaves the parameter alone', async () => {
    const res = await request(
      host(api({ requestParameters: { 'overwrite:header.x-keep': '$request.header.x-none' } })),
    )
      .post('/pets/1')
      .set('x-keep', 'mine');
    expect(res.body.headers['x-keep']).toBe('mine');
  });

  test('response mapping by status code: overwrite:statuscode and headers', async () => {
    const handler = async () => ({
      statusCode: 201,
      headers: { 'x-backend': 'b1', 'x-secret': 's', 'content-type': 'application/json' },
      body: '{"id":"p1"}',
    });
    const res = await request(
      host(
        api(
          {
            responseParameters: {
              '201': {
                'overwrite:statuscode': '202',
                'append:header.x-from': '$response.header.x-backend',
                'remove:header.x-secret': "''",
                'overwrite:header.x-id': '$response.body.id',
                'overwrite:header.x-req': '$context.requestId',
              },
              '500': { 'overwrite:statuscode': '503' },
            },
          },
          handler,
        ),
      ),
    ).post('/pets/1');
    expect(res.status).toBe(202);
    expect(res.headers['x-from']).toBe('b1');
    expect(res.headers['x-secret']).toBeUndefined();
    expect(res.headers['x-id']).toBe('p1');
    expect(res.headers['x-req']).toBe(res.headers['apigw-requestid']);
    expect(res.text).toBe('{"id":"p1"}');
  });

  test('a status code with no mapping is left alone', async () => {
    const handler = async () => ({ statusCode: 200, body: '"x"' });
    const res = await request(
      host(api({ responseParameters: { '404': { 'overwrite:statuscode': '200' } } }, handler)),
    ).post('/pets/1');
    expect(res.status).toBe(200);
  });
});

describe('parameter mapping configuration errors', () => {
  const build = (integration: object) => () => httpApi(api(integration as Partial<HttpIntegration>));
  test.each([
    'authorization',
    'Content-Length',
    'x-amz-date',
    'x-amzn-trace-id',
    'access-control-allow-origin',
    'apigw-requestid',
    'Host'.replace('Host', 'x-forwarded-for'),
    'via',
  ])('reserved header %s is refused', (name) => {
    expect(build({ requestParameters: { [`overwrite:header.${name}`]: 'x' } })).toThrow(
      /routes\["POST \/pets\/\{id\}"\]\.integration\.requestParameters.*reserved header/,
    );
    expect(build({ responseParameters: { '200': { [`append:header.${name}`]: 'x' } } })).toThrow(
      /reserved header/,
    );
  });
  test('bad keys, status codes and sources are named', () => {
    expect(build({ requestParameters: { 'replace:header.x': 'v' } })).toThrow(/replace:header\.x/);
    expect(build({ requestParameters: { 'overwrite:header.x': '$response.header.y' } })).toThrow(
      /not a source/,
    );
    expect(build({ responseParameters: { '600': { 'overwrite:statuscode': '200' } } })).toThrow(/"600"/);
    expect(build({ responseParameters: { '200': { 'overwrite:statuscode': 'abc' } } })).toThrow(/statuscode/);
    expect(build({ responseParameters: { '200': { 'overwrite:path': '/x' } } })).toThrow(/overwrite:path/);
  });
});

describe('mapping values', () => {
  test('static text without references renders as itself', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('${') && !text.startsWith('$'));
        expect(render(parseValue(text), () => 'X')).toBe(text);
      }),
    );
  });
  test('braced references are replaced in place', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own ${…} mapping syntax
    expect(render(parseValue('a-${context.stage}-b'), (r) => (r === 'context.stage' ? 's' : undefined))).toBe(
      'a-s-b',
    );
  });
});
