import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import type { HttpApiOptions } from '../../src/index.js';
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
  routes: { 'ANY /items/{id}': { integration: { function: 'echo' }, authorizationType: 'AWS_IAM' } },
};

interface Signing {
  path?: string;
  region?: string;
  service?: string;
  at?: number;
  accessKeyId?: string;
}

async function sign({
  path = '/dev/items/7',
  region = 'us-east-1',
  service = 'execute-api',
  at = NOW,
  accessKeyId = KEY,
}: Signing) {
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: SECRET },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    { method: 'GET', protocol: 'https:', hostname: HOST, path, query: {}, headers: { host: HOST } },
    { signingDate: new Date(at) },
  );
  return signed.headers as Record<string, string>;
}

describe.each(HOSTS)('AWS_IAM refusal paths, %s', (_name, host) => {
  const app = host(options);
  const get = async (path: string, headers: Record<string, string>) =>
    (await request(app).get(path).set(headers)).status;

  test('the signature covers the path as sent: a signature of the decoded path does not pass an encoded one', async () => {
    expect(await get('/dev/items/7', await sign({}))).toBe(200);
    expect(await get('/dev/items/%37', await sign({}))).toBe(403);
    expect(await get('/dev/items/%37', await sign({ path: '/dev/items/%37' }))).toBe(200);
  });

  test.each([
    ['another region', { region: 'eu-west-1' }],
    ['another service', { service: 's3' }],
    ['an unknown access key', { accessKeyId: 'AKIAOTHER' }],
    ['signed 5 min + 1 s in the future', { at: NOW + 301_000 }],
    ['signed 5 min + 1 s ago', { at: NOW - 301_000 }],
  ] as [string, Signing][])('%s → 403', async (_case, signing) => {
    expect(await get('/dev/items/7', await sign(signing))).toBe(403);
  });

  test('within five minutes either way still passes (the clock skew AWS allows)', async () => {
    expect(await get('/dev/items/7', await sign({ at: NOW + 300_000 }))).toBe(200);
    expect(await get('/dev/items/7', await sign({ at: NOW - 300_000 }))).toBe(200);
  });

  test('a date out of range or malformed → 403', async () => {
    const headers = await sign({});
    expect(await get('/dev/items/7', { ...headers, 'x-amz-date': '20241315T123045Z' })).toBe(403);
    expect(await get('/dev/items/7', { ...headers, 'x-amz-date': 'yesterday' })).toBe(403);
  });
});
