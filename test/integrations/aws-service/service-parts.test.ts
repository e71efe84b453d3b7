import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { ConfigError } from '../../../src/config/config-error.js';
import { apiGateway } from '../../../src/index.js';
import { resolveServiceCredentials } from '../../../src/integrations/aws-service/service-credentials.js';
import {
  endpointVariableName,
  resolveServiceEndpoint,
} from '../../../src/integrations/aws-service/service-endpoint.js';
import { isServiceUri, parseServiceUri } from '../../../src/integrations/aws-service/service-uri.js';
import { signRequest } from '../../../src/integrations/aws-service/sign-request.js';
import { silentLogger } from '../../support/create-app.js';

describe('service uri', () => {
  it('reads action and path URIs, with a subdomain and action parameters', () => {
    expect(parseServiceUri('arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem', 'x')).toEqual({
      region: 'eu-west-1',
      service: 'dynamodb',
      subdomain: undefined,
      kind: 'action',
      target: 'PutItem',
      actionParameters: [],
    });
    expect(parseServiceUri('arn:aws:apigateway:us-east-1:s3:path/{bucket}/{key+}', 'x')).toMatchObject({
      service: 's3',
      kind: 'path',
      target: '{bucket}/{key+}',
    });
    expect(parseServiceUri('arn:aws:apigateway:us-east-1:a1b2c3.iotdata:path/topics/t', 'x')).toMatchObject({
      service: 'iotdata',
      subdomain: 'a1b2c3',
    });
    expect(
      parseServiceUri('arn:aws:apigateway:us-east-1:s3:action/GetObject&Bucket={b}&Key={k}', 'x')
        .actionParameters,
    ).toEqual([
      ['Bucket', '{b}'],
      ['Key', '{k}'],
    ]);
  });

  it('tells a service uri from a Lambda invocation uri', () => {
    expect(isServiceUri('arn:aws:apigateway:us-east-1:sqs:path/1/q')).toBe(true);
    expect(
      isServiceUri(
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations',
      ),
    ).toBe(false);
    expect(isServiceUri('https://example.com')).toBe(false);
    expect(isServiceUri(undefined)).toBe(false);
  });
});

describe('service endpoint', () => {
  const resolve = (env: NodeJS.ProcessEnv, configured?: Record<string, string>, service = 'dynamodb') =>
    resolveServiceEndpoint(service, 'eu-west-1', undefined, configured, env, 'GET /x').href;

  it('spells AWS_ENDPOINT_URL_<SERVICE> from the SDK serviceId', () => {
    expect(endpointVariableName('dynamodb')).toBe('AWS_ENDPOINT_URL_DYNAMODB');
    expect(endpointVariableName('states')).toBe('AWS_ENDPOINT_URL_SFN');
    expect(endpointVariableName('events')).toBe('AWS_ENDPOINT_URL_EVENTBRIDGE');
    expect(endpointVariableName('logs')).toBe('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS');
    expect(endpointVariableName('sqs')).toBe('AWS_ENDPOINT_URL_SQS');
  });

  it('resolves option, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the public endpoint', () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb:8000', AWS_ENDPOINT_URL: 'http://stack:4566' };
    expect(resolve({})).toBe('https://dynamodb.eu-west-1.amazonaws.com/');
    expect(resolve({ AWS_ENDPOINT_URL: 'http://stack:4566' })).toBe('http://stack:4566/');
    expect(resolve(env)).toBe('http://ddb:8000/');
    expect(resolve(env, { dynamodb: 'http://127.0.0.1:1234' })).toBe('http://127.0.0.1:1234/');
    expect(resolve(env, { sqs: 'http://127.0.0.1:1234' })).toBe('http://ddb:8000/');
  });

  it('refuses an endpoint that is not an http(s) URL, naming the route', () => {
    expect(() => resolve({ AWS_ENDPOINT_URL: 'ftp://x' })).toThrow(
      'GET /x: endpoint for dynamodb must be http(s)',
    );
  });
});

describe('service credentials', () => {
  it('takes the option, then the environment, then the shared credentials profile', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'creds-'));
    const file = path.join(dir, 'credentials');
    writeFileSync(
      file,
      '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s2\naws_session_token=t2\n',
    );
    const given = { accessKeyId: 'AKIDGIVEN', secretAccessKey: 's0' };
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'se',
      AWS_SHARED_CREDENTIALS_FILE: file,
    };
    expect(resolveServiceCredentials(given, env)).toBe(given);
    expect(resolveServiceCredentials(undefined, env)).toEqual({
      accessKeyId: 'AKIDENV',
      secretAccessKey: 'se',
      sessionToken: undefined,
    });
    expect(resolveServiceCredentials(undefined, { AWS_SHARED_CREDENTIALS_FILE: file })?.accessKeyId).toBe(
      'AKIDDEFAULT',
    );
    expect(
      resolveServiceCredentials(undefined, { AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'dev' }),
    ).toEqual({ accessKeyId: 'AKIDDEV', secretAccessKey: 's2', sessionToken: 't2' });
    expect(
      resolveServiceCredentials(undefined, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') }),
    ).toBeUndefined();
  });
});

describe('signRequest', () => {
  // Any path, query and body: the Authorization header equals the one @smithy/signature-v4 computes.
  it('signs as the SDKs sign, for any path, query and body', async () => {
    const segment = fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s));
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 8 })), {
          maxLength: 4,
        }),
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom('sqs', 's3', 'dynamodb'),
        fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
        async (segments, pairs, bytes, service, sessionToken) => {
          const url = new URL(`http://127.0.0.1:4567/${segments.join('/')}`);
          for (const [k, v] of pairs) url.searchParams.append(k, v);
          const body = Buffer.from(bytes);
          const headers = new Map([['content-type', 'application/x-amz-json-1.0']]);
          const credentials = { accessKeyId: 'AKIDPROP', secretAccessKey: 'secret', sessionToken };
          const now = Date.UTC(2026, 0, 2, 3, 4, 5);
          signRequest({ method: 'POST', url, headers, body }, credentials, 'eu-west-1', service, now);
          const query: Record<string, string | string[]> = {};
          for (const [k, v] of url.searchParams) {
            const prior = query[k];
            query[k] = prior === undefined ? v : ([] as string[]).concat(prior, v);
          }
          const signed = await new SignatureV4({
            credentials,
            region: 'eu-west-1',
            service,
            sha256: Hash.bind(null, 'sha256'),
            uriEscapePath: service !== 's3',
          }).sign(
            {
              method: 'POST',
              protocol: 'http:',
              hostname: '127.0.0.1',
              port: 4567,
              path: url.pathname,
              query,
              headers: Object.fromEntries([...headers].filter(([k]) => k !== 'authorization')),
              body,
            },
            { signingDate: new Date(now) },
          );
          expect(headers.get('authorization')).toBe(signed.headers.authorization);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('service integration config', () => {
  const serviceApi = {
    resources: {
      '/orders': {
        POST: {
          integration: {
            type: 'AWS' as const,
            uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders',
          },
        },
      },
    },
  };

  it('needs no function for a service uri, but credentials: none anywhere is a ConfigError naming the route', () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmpdir(), 'no-such-credentials-file');
      expect(() => apiGateway({ ...serviceApi, logger: silentLogger() })).toThrow(ConfigError);
      expect(() => apiGateway({ ...serviceApi, logger: silentLogger() })).toThrow(
        'POST /orders: integration.uri: no AWS credentials to sign the service request with',
      );
      process.env.AWS_ACCESS_KEY_ID = 'AKIDENV';
      process.env.AWS_SECRET_ACCESS_KEY = 'secret';
      expect(() => apiGateway({ ...serviceApi, logger: silentLogger() })).not.toThrow();
    } finally {
      process.env = saved;
    }
  });

  it('checks awsServiceCredentials and awsEndpoints', () => {
    const keys = { accessKeyId: 'A', secretAccessKey: 'B' };
    expect(() =>
      apiGateway({ ...serviceApi, awsServiceCredentials: { accessKeyId: 'A' } as typeof keys }),
    ).toThrow('awsServiceCredentials.secretAccessKey: must be a non-empty string');
    expect(() =>
      apiGateway({ ...serviceApi, awsServiceCredentials: keys, awsEndpoints: { sqs: 'nope' } }),
    ).toThrow('awsEndpoints.sqs: must be an http(s) URL (got "nope")');
  });

  it('refuses a malformed action name, naming the route and field', () => {
    expect(() =>
      apiGateway({
        awsServiceCredentials: { accessKeyId: 'A', secretAccessKey: 'B' },
        resources: {
          '/x': {
            POST: { integration: { type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:sns:action/Pub lish' } },
          },
        },
        logger: silentLogger(),
      }),
    ).toThrow('POST /x: integration.uri: action/Pub lish: not an action name');
  });
});
