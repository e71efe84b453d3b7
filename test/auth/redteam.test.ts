import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);
const API = { restApiId: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1', stageName: 'prod' };
const HOST = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ALLOW_ALL = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' };

/** SigV4 headers for a POST of `body`, as an AWS SDK signs it (payload hashed into the signature). */
async function signedPost(path: string, body: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: HOST, path, query: {}, headers: { host: HOST }, body },
    { signingDate: new Date(NOW) },
  );
  return signed.headers as Record<string, string>;
}

const options = (resourcePolicy?: unknown) =>
  ({
    ...API,
    clock: () => NOW,
    ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    functions: { echo: echoEvent },
    awsCredentials: { [KEY]: { secretAccessKey: SECRET, userArn: 'arn:aws:iam::111122223333:user/alice' } },
    resources: { '/iam': { POST: { authorizationType: 'AWS_IAM', ...proxy('echo') } } },
  }) as ApiGatewayOptions;

const WITH_POLICY = { Version: '2012-10-17', Statement: [ALLOW_ALL] };

describe.each(EXPRESS_VERSIONS)(
  'AWS_IAM signed payload within a resource policy on Express %s',
  (_v, express) => {
    it.each([
      ['without', undefined],
      ['with', WITH_POLICY],
    ])('%s a resource policy, a body the signature does not cover is refused', async (_w, policy) => {
      const res = await request(createApp(options(policy), express))
        .post('/prod/iam')
        .set(await signedPost('/prod/iam', ''))
        .set('content-type', 'text/plain')
        .send('injected');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });

    it.each([
      ['without', undefined],
      ['with', WITH_POLICY],
    ])('%s a resource policy, a body the signature covers is let in and delivered', async (_w, policy) => {
      const res = await request(createApp(options(policy), express))
        .post('/prod/iam')
        .set(await signedPost('/prod/iam', 'hello'))
        .set('content-type', 'text/plain')
        .send('hello');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).body).toBe('hello');
    });
  },
);
