import request from 'supertest';
import { closeApis, HOSTS } from '../hosts.js';
import { APIGW_REQUEST_ID, echo, recorded, send } from './recorded.js';

/**
 * Payload format 1.0 on an HTTP API (reference §1.3): REST's event plus `version`, with D-lambda's
 * 1.0 sample's differences (authorizer `{claims, scopes}` nulls, `resourceId: null`, no `apiKey`).
 */

afterAll(closeApis);

const SAMPLE = recorded('aws-docs-http-api-v1-event.json').event;
const v1 = { function: 'echo', payloadFormatVersion: '1.0' as const };

describe.each(HOSTS)('payload 1.0 events, %s', (_name, host) => {
  const app = host({
    apiId: 'id',
    clock: () => SAMPLE.requestContext.requestTimeEpoch,
    functions: { echo },
    routes: { 'GET /my/path': { integration: v1 }, 'ANY /{proxy+}': { integration: v1 } },
  });

  async function sample() {
    const res = await send(app, {
      method: 'GET',
      target: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
      headers: [
        ['Host', 'id.execute-api.us-east-1.amazonaws.com'],
        ['User-Agent', 'user-agent'],
        ['Header1', 'value1'],
        ['Header2', 'value1'],
        ['Header2', 'value2'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'Hello from Lambda!',
    });
    expect(res.status).toBe(200);
    return JSON.parse(res.text);
  }

  test('D-lambda 1.0 sample: the same keys in the same order, top level, requestContext, identity', async () => {
    const event = await sample();
    expect(Object.keys(event)).toEqual(Object.keys(SAMPLE));
    expect(Object.keys(event.requestContext)).toEqual(Object.keys(SAMPLE.requestContext));
    expect(Object.keys(event.requestContext.identity)).toEqual(Object.keys(SAMPLE.requestContext.identity));
  });

  test('D-lambda 1.0 sample: its values (header names lower-cased; a repeated header its last value)', async () => {
    const event = await sample();
    expect(event).toMatchObject({
      version: '1.0',
      resource: SAMPLE.resource,
      path: SAMPLE.path,
      httpMethod: 'GET',
      pathParameters: null,
      stageVariables: null,
      body: SAMPLE.body,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ header1: 'value1', header2: 'value2' });
    expect(event.multiValueHeaders).toMatchObject({ header1: ['value1'], header2: ['value1', 'value2'] });
    expect(event.multiValueQueryStringParameters).toEqual(SAMPLE.multiValueQueryStringParameters);
    expect(event.queryStringParameters.parameter2).toBe('value');
    const { identity, ...rc } = event.requestContext;
    const { identity: sampleIdentity, ...sampleRc } = SAMPLE.requestContext;
    expect(rc.requestId).toMatch(APIGW_REQUEST_ID);
    expect(rc.extendedRequestId).toBe(rc.requestId);
    expect({ ...rc, requestId: 'id=', extendedRequestId: 'request-id' }).toEqual(sampleRc);
    expect({ ...identity, sourceIp: 'IP' }).toEqual(sampleIdentity);
  });

  test('a named stage: path keeps it, resource and resourcePath do not (dougmoscrop/serverless-http#143)', async () => {
    const dev = host({ stageName: 'dev', functions: { echo }, routes: { 'GET /test': { integration: v1 } } });
    const event = JSON.parse((await request(dev).get('/dev/test')).text);
    expect(event).toMatchObject({ path: '/dev/test', resource: '/test' });
    expect(event.requestContext).toMatchObject({ resourcePath: '/test', stage: 'dev' });
  });

  test('nothing there → null, as REST has it; the path decoded (middleapi/standard-server#93)', async () => {
    const event = JSON.parse((await request(app).get('/capture/space%20value')).text);
    expect(event).toMatchObject({
      resource: '/{proxy+}',
      path: '/capture/space value',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { proxy: 'capture/space value' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.requestContext.resourcePath).toBe('/{proxy+}');
    expect(event.requestContext.path).toBe('/capture/space value');
  });
});
