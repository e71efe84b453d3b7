import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import type { HttpApiOptions } from '../../src/index.js';
import { httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);
const HOST = 'api.example.com';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const options: HttpApiOptions = {
  clock: () => NOW,
  stageName: 'dev',
  functions: { echo },
  awsCredentials: { [KEY]: { secretAccessKey: SECRET, userArn: 'arn:aws:iam::111122223333:user/alice' } },
  routes: {
    'ANY /items/{id}': { integration: { function: 'echo' }, authorizationType: 'AWS_IAM' },
    'GET /v1': {
      integration: { function: 'echo', payloadFormatVersion: '1.0' },
      authorizationType: 'AWS_IAM',
    },
  },
};

async function sign(method: string, path: string, body?: string, secret = SECRET, signingDate = NOW) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: KEY, secretAccessKey: secret },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method,
      protocol: 'https:',
      hostname: HOST,
      path,
      query: {},
      headers: { host: HOST, 'content-type': 'application/json' },
      body,
    },
    { signingDate: new Date(signingDate) },
  );
  return signed.headers as Record<string, string>;
}

describe.each(HOSTS)('AWS_IAM routes, %s', (_name, host) => {
  const app = host(options);

  test('a valid signature passes; requestContext.authorizer.iam names the signer', async () => {
    const body = '{"a":1}';
    const res = await request(app)
      .post('/dev/items/7')
      .set(await sign('POST', '/dev/items/7', body))
      .send(body);
    expect(res.status).toBe(200);
    const { iam } = JSON.parse(res.text).requestContext.authorizer;
    expect(iam).toMatchObject({
      accessKey: KEY,
      accountId: '111122223333',
      userArn: 'arn:aws:iam::111122223333:user/alice',
      cognitoIdentity: null,
      principalOrgId: null,
    });
    expect(iam.callerId).toMatch(/^AIDA/);
  });

  test('payload 1.0 integration keeps its own authorizer', async () => {
    const res = await request(app)
      .get('/dev/v1')
      .set(await sign('GET', '/dev/v1'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).requestContext.authorizer).toEqual({ claims: null, scopes: null });
  });

  test.each([
    ['no signature', async () => ({ host: HOST })],
    ['a wrong secret', () => sign('GET', '/dev/items/7', undefined, 'wrong')],
    ['another path signed', () => sign('GET', '/dev/items/8')],
    ['a signature 10 minutes old', () => sign('GET', '/dev/items/7', undefined, SECRET, NOW - 600_000)],
  ])('%s → 403 {"message":"Forbidden"}', async (_case, headers) => {
    const res = await request(app)
      .get('/dev/items/7')
      .set(await headers());
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Forbidden"}');
  });
});

test('AWS_IAM and an authorizer on one route are refused at startup', () => {
  expect(() =>
    httpApi({
      logger: silentLogger(),
      ...options,
      routes: {
        'GET /x': { integration: { function: 'echo' }, authorizationType: 'AWS_IAM', authorizer: 'a' },
      },
      authorizers: {
        a: { type: 'JWT', issuer: 'https://example.com', audience: ['x'], jwks: 'https://example.com/k' },
      },
    }),
  ).toThrow(/routes\["GET \/x"\]\.authorizationType: AWS_IAM or an authorizer, not both/);
});
