import type { Context } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*';
const FORMAT = [
  '$context.requestId',
  'authorize=$context.authorize.status/$context.authorize.latency/$context.authorize.error',
  'authenticate=$context.authenticate.status/$context.authenticate.error',
  'authorizer=$context.authorizer.status/$context.authorizer.latency/$context.authorizer.integrationLatency/$context.authorizer.integrationStatus/$context.authorizer.requestId/$context.authorizer.error',
  'principal=$context.authorizer.principalId',
  'context=$context.authorizer.str/$context.authorizer.num/$context.authorizer.missing',
  'status=$context.status',
].join(' ');

function api() {
  let now = Date.UTC(2026, 11, 7, 4);
  const lines: string[] = [];
  const authorizerIds: string[] = [];
  const options: ApiGatewayOptions = {
    restApiId: 'abc123',
    clock: () => now,
    accessLogSettings: { format: FORMAT, destination: (line) => lines.push(line) },
    functions: {
      auth: async (event: { authorizationToken: string }, context: Context) => {
        authorizerIds.push(context.awsRequestId);
        now += 7;
        const effect = event.authorizationToken === 'allow' ? 'Allow' : 'Deny';
        if (event.authorizationToken === 'bad') throw new Error('Unauthorized');
        return {
          principalId: 'user-1',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: ARN }],
          },
          context: { str: 'hello', num: 123 },
        };
      },
      hello: async () => {
        now += 3;
        return { statusCode: 200, body: '"hi"' };
      },
    },
    authorizers: { token: { type: 'TOKEN', function: 'auth' } },
    resources: {
      '/hello': {
        GET: {
          authorizationType: 'CUSTOM',
          authorizer: 'token',
          integration: { type: 'AWS_PROXY', function: 'hello' },
        },
      },
    },
  };
  return { options, lines, authorizerIds };
}

describe.each(EXPRESS_VERSIONS)('access logs of a Lambda authorizer on Express %s', (_version, express) => {
  it('logs the authorizer call, then the cached result without one', async () => {
    const { options, lines, authorizerIds } = api();
    const app = createApp(options, express);
    const first = await request(app).get('/prod/hello').set('Authorization', 'allow');
    const second = await request(app).get('/prod/hello').set('Authorization', 'allow');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(lines).toEqual([
      `${first.headers['x-amzn-requestid']} authorize=200/7/- authenticate=200/- authorizer=200/7/7/200/${authorizerIds[0]}/- principal=user-1 context=hello/123/- status=200`,
      `${second.headers['x-amzn-requestid']} authorize=200/0/- authenticate=200/- authorizer=200/0/-/-/-/- principal=user-1 context=hello/123/- status=200`,
    ]);
  });

  it('logs a denied caller: authorization refused, the identity not in question', async () => {
    const { options, lines, authorizerIds } = api();
    const res = await request(createApp(options, express)).get('/prod/hello').set('Authorization', 'deny');
    expect(res.status).toBe(403);
    expect(lines).toEqual([
      `${res.headers['x-amzn-requestid']} authorize=403/7/User is not authorized to access this resource with an explicit deny authenticate=-/- authorizer=403/7/7/200/${authorizerIds[0]}/User is not authorized to access this resource with an explicit deny principal=- context=-/-/- status=403`,
    ]);
  });

  it('logs a refused identity: 401 Unauthorized from the authorizer, or no token at all', async () => {
    const { options, lines, authorizerIds } = api();
    const app = createApp(options, express);
    const refused = await request(app).get('/prod/hello').set('Authorization', 'bad');
    const missing = await request(app).get('/prod/hello');
    expect([refused.status, missing.status]).toEqual([401, 401]);
    expect(lines).toEqual([
      `${refused.headers['x-amzn-requestid']} authorize=401/7/Unauthorized authenticate=401/Unauthorized authorizer=401/7/7/200/${authorizerIds[0]}/Unauthorized principal=- context=-/-/- status=401`,
      `${missing.headers['x-amzn-requestid']} authorize=401/0/Unauthorized authenticate=401/Unauthorized authorizer=401/0/-/-/-/Unauthorized principal=- context=-/-/- status=401`,
    ]);
  });
});

describe.each(EXPRESS_VERSIONS)('access logs of a Cognito authorizer on Express %s', (_version, express) => {
  const T0 = Date.UTC(2026, 11, 7, 4);
  const pool = createTestUserPool({ now: () => T0, username: 'ann' });
  const options = (lines: string[]): ApiGatewayOptions => ({
    clock: () => T0,
    userPools: pool.userPools,
    accessLogSettings: {
      format:
        '$context.requestId $context.authorizer.claims.cognito:username $context.authorizer.claims.email $context.authorizer.status $context.authenticate.status $context.authorize.error',
      destination: (line) => lines.push(line),
    },
    functions: { hello: async () => ({ statusCode: 200, body: '"hi"' }) },
    authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
    resources: {
      '/me': {
        GET: {
          authorizationType: 'COGNITO_USER_POOLS',
          authorizer: 'users',
          integration: { type: 'AWS_PROXY', function: 'hello' },
        },
      },
    },
  });

  it("logs the verified token's claims, and a refused one's 401", async () => {
    const lines: string[] = [];
    const app = createApp(options(lines), express);
    const ok = await request(app).get('/prod/me').set('Authorization', pool.idToken());
    const refused = await request(app).get('/prod/me').set('Authorization', 'not-a-token');
    expect([ok.status, refused.status]).toEqual([200, 401]);
    expect(lines).toEqual([
      `${ok.headers['x-amzn-requestid']} ann ann@example.com 200 200 -`,
      `${refused.headers['x-amzn-requestid']} - - 401 401 Unauthorized`,
    ]);
  });
});
