import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

const VARIABLES = [
  'requestId',
  'extendedRequestId',
  'apiId',
  'stage',
  'resourceId',
  'resourcePath',
  'httpMethod',
  'path',
  'protocol',
  'domainName',
  'domainPrefix',
  'accountId',
  'requestTime',
  'requestTimeEpoch',
  'identity.sourceIp',
  'identity.userAgent',
  'identity.apiKey',
  'identity.caller',
  'identity.user',
  'identity.userArn',
  'identity.accountId',
  'identity.cognitoIdentityId',
];

// One response template printing every $context variable, as a JSON object.
const template = `{${VARIABLES.map((v) => `"${v}": "$context.${v}"`).join(', ')}, "stageVar": "$stageVariables.env"}`;

const options: ApiGatewayOptions = {
  stageName: 'dev',
  restApiId: 'a1b2c3d4e5',
  accountId: '111122223333',
  stageVariables: { env: 'test' },
  resources: {
    '/orders/{id}': {
      GET: {
        integration: {
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': template } }],
        },
      },
    },
  },
};

describe.each(EXPRESS_VERSIONS)('$context in templates on Express %s', (_v, express) => {
  it('holds real values for every variable of the reference', async () => {
    const res = await request(createApp(options, express))
      .get('/dev/orders/42?x=1')
      .set('Host', 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com')
      .set('User-Agent', 'curl/8.4.0');
    expect(res.status).toBe(200);
    const context = JSON.parse(res.text);
    expect(context).toEqual({
      requestId: res.headers['x-amzn-requestid'],
      extendedRequestId: res.headers['x-amz-apigw-id'],
      apiId: 'a1b2c3d4e5',
      stage: 'dev',
      resourceId: expect.stringMatching(/^[a-z0-9]{6}$/),
      resourcePath: '/orders/{id}',
      httpMethod: 'GET',
      path: '/dev/orders/42',
      protocol: 'HTTP/1.1',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      accountId: '111122223333',
      requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      requestTimeEpoch: expect.stringMatching(/^\d{13}$/),
      'identity.sourceIp': expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
      'identity.userAgent': 'curl/8.4.0',
      // apiKey is absent without a key (renders as nothing); the other identity fields are ""
      'identity.apiKey': '',
      'identity.caller': '',
      'identity.user': '',
      'identity.userArn': '',
      'identity.accountId': '',
      'identity.cognitoIdentityId': '',
      stageVar: 'test',
    });
    const epoch = Number(context.requestTimeEpoch);
    expect(Math.abs(epoch - Date.now())).toBeLessThan(60_000);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
