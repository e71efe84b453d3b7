import request from 'supertest';
import type { HttpApiOptions, HttpIntegration } from '../../../src/index.js';
import { ConfigError, httpApi } from '../../../src/index.js';
import { silentLogger } from '../../support/create-app.js';
import { closeApis, HOSTS } from '../hosts.js';
import { APIGW_REQUEST_ID, echo } from './recorded.js';

/**
 * Parameter mapping (reference §6) as D-pmap's examples configure it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
 * Where request mappings show in a Lambda event is UNCONFIRMED: its headers and query, as sent on.
 */

afterAll(closeApis);

// D-pmap "Reserved headers", as the page lists them.
const RESERVED = [
  'access-control-allow-origin',
  'apigw-requestid',
  'Authorization',
  'Connection',
  'Content-Encoding',
  'Content-Length',
  'Content-Location',
  'Forwarded',
  'Keep-Alive',
  'Origin',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'TE',
  'Trailers',
  'Transfer-Encoding',
  'Upgrade',
  'x-amz-date',
  'x-amzn-trace-id',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'Via',
];

function api(integration: Partial<HttpIntegration>, fn: (event: never) => unknown = echo): HttpApiOptions {
  return {
    stageName: 'dev',
    stageVariables: { environmentId: 'env-42' },
    functions: { fn: fn as never },
    routes: { 'ANY /pets/{petId}': { integration: { function: 'fn', ...integration } } },
  };
}

describe.each(HOSTS)('parameter mapping, %s', (_name, host) => {
  test('D-pmap "Add a header": append:header.header1 ← $context.requestId', async () => {
    const res = await request(
      host(api({ requestParameters: { 'append:header.header1': '$context.requestId' } })),
    ).get('/dev/pets/7');
    const event = JSON.parse(res.text);
    expect(event.headers.header1).toBe(event.requestContext.requestId);
    expect(event.headers.header1).toMatch(APIGW_REQUEST_ID);
  });

  test('D-pmap "Rename a request header": header1 becomes header2', async () => {
    const res = await request(
      host(
        api({
          requestParameters: {
            'append:header.header2': '$request.header.header1',
            'remove:header.header1': "''",
          },
        }),
      ),
    )
      .get('/dev/pets/7')
      .set('header1', 'v');
    const { headers } = JSON.parse(res.text);
    expect(headers.header2).toBe('v');
    expect(headers).not.toHaveProperty('header1');
  });

  test('D-pmap values: $request.path without the stage, $request.path.petId, repeats joined with commas', async () => {
    const res = await request(
      host(
        api({
          requestParameters: {
            'overwrite:header.x-path': '$request.path',
            'overwrite:header.x-pet': '$request.path.petId',
            'overwrite:header.x-tags': '$request.querystring.tag',
            'overwrite:header.x-many': '$request.header.x-in',
          },
        }),
      ),
    )
      .get('/dev/pets/7?tag=a&tag=b')
      .set('x-in', ['1', '2'] as unknown as string);
    const { headers } = JSON.parse(res.text);
    expect(headers['x-path']).toBe('/pets/7');
    expect(headers['x-pet']).toBe('7');
    expect(headers['x-tags']).toBe('a,b');
    expect(headers['x-many']).toBe('1,2');
  });

  test('D-pmap "Change the response": 500 → 403 with header1, 404 gets error from a stage variable', async () => {
    const byStatus = async (event: { rawPath: string }) => ({
      statusCode: event.rawPath.endsWith('/500') ? 500 : 404,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    const app = host(
      api(
        {
          responseParameters: {
            '500': { 'append:header.header1': '$context.requestId', 'overwrite:statuscode': '403' },
            '404': { 'append:header.error': '$stageVariables.environmentId' },
          },
        },
        byStatus as never,
      ),
    );
    const five = await request(app).get('/dev/pets/500');
    expect(five.status).toBe(403);
    expect(five.headers.header1).toBe(five.headers['apigw-requestid']);
    const four = await request(app).get('/dev/pets/404');
    expect(four.status).toBe(404);
    expect(four.headers.error).toBe('env-42');
  });
});

describe('D-pmap: reserved headers take no mapping (ConfigError naming the route and key)', () => {
  const build = (integration: Partial<HttpIntegration>) => () =>
    httpApi({ logger: silentLogger(), ...api(integration) });

  test.each(RESERVED)('%s', (name) => {
    expect(build({ requestParameters: { [`overwrite:header.${name}`]: 'x' } })).toThrow(ConfigError);
    expect(build({ requestParameters: { [`overwrite:header.${name}`]: 'x' } })).toThrow(
      /ANY \/pets\/\{petId\}/,
    );
    expect(build({ responseParameters: { '200': { [`overwrite:header.${name}`]: 'x' } } })).toThrow(
      ConfigError,
    );
  });

  test('CFN-integration: response parameters are keyed by a status code from 200 to 599', () => {
    expect(build({ responseParameters: { '199': { 'overwrite:statuscode': '200' } } })).toThrow(ConfigError);
    expect(build({ responseParameters: { '600': { 'overwrite:statuscode': '200' } } })).toThrow(ConfigError);
    expect(build({ responseParameters: { '599': { 'overwrite:statuscode': '200' } } })).not.toThrow();
  });
});
