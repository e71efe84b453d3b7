import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import request from 'supertest';
import { readSignature } from '../../src/auth/sigv4.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const NOW = Date.UTC(2024, 0, 15, 12, 30, 45); // 20240115T123045Z
const HOST = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
const USER_KEY = 'AKIAIOSFODNN7EXAMPLE';
const USER_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ROLE_KEY = 'ASIAIOSFODNN7EXAMPLE';
const ROLE_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const ROLE_TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLE';

const iam = { authorizationType: 'AWS_IAM' as const, ...proxy('echo') };

function options(clock: () => number = () => NOW): ApiGatewayOptions {
  return {
    stageName: 'prod',
    restApiId: 'a1b2c3d4e5',
    region: 'us-east-1',
    clock,
    functions: { echo: echoEvent },
    awsCredentials: {
      [USER_KEY]: { secretAccessKey: USER_SECRET, userArn: 'arn:aws:iam::111122223333:user/alice' },
      [ROLE_KEY]: {
        secretAccessKey: ROLE_SECRET,
        userArn: 'arn:aws:sts::444455556666:assumed-role/Admin/bob-session',
        sessionToken: ROLE_TOKEN,
        caller: 'AROAEXAMPLEID123456:bob-session',
      },
    },
    resources: {
      '/items': { GET: iam, POST: iam },
      '/items/{id}': { GET: iam },
      '/things/{proxy+}': { ANY: iam },
      '/open': { GET: proxy('echo') },
      '/whoami': {
        GET: {
          authorizationType: 'AWS_IAM',
          integration: {
            type: 'MOCK',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: [
              {
                statusCode: '200',
                responseTemplates: {
                  'application/json':
                    '{"accessKey":"$context.identity.accessKey","accountId":"$context.identity.accountId","caller":"$context.identity.caller","user":"$context.identity.user","userArn":"$context.identity.userArn","cognitoIdentityId":"$context.identity.cognitoIdentityId"}',
                },
              },
            ],
          },
        },
      },
    },
  };
}

/** RFC 3986 encoding, as the AWS SDKs write a query or a path label. */
const encode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface ClientRequest {
  method: string;
  /** Percent-encoded, stage included, as sent. */
  path: string;
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: Buffer;
}

interface SignOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
  service?: string;
  signingDate?: number;
  applyChecksum?: boolean;
}

function queryObject(pairs: [string, string][]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of pairs) {
    const seen = query[k];
    if (seen === undefined) query[k] = v;
    else if (Array.isArray(seen)) seen.push(v);
    else query[k] = [seen, v];
  }
  return query;
}

function signer(opts: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: opts.accessKeyId ?? USER_KEY,
      secretAccessKey: opts.secretAccessKey ?? USER_SECRET,
      sessionToken: opts.sessionToken,
    },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: opts.applyChecksum ?? true,
  });
}

/** Signs as an AWS SDK does (smithy's SignatureV4): the headers to send, Authorization included. */
async function sign(req: ClientRequest, opts: SignOptions = {}): Promise<Record<string, string>> {
  const signed = await signer(opts).sign(
    {
      method: req.method,
      protocol: 'https:',
      hostname: HOST,
      path: req.path,
      query: queryObject(req.query ?? []),
      headers: { host: HOST, ...req.headers },
      body: req.body,
    },
    { signingDate: new Date(opts.signingDate ?? NOW) },
  );
  return signed.headers as Record<string, string>;
}

const urlOf = (req: ClientRequest): string =>
  req.query && req.query.length > 0
    ? `${req.path}?${req.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`
    : req.path;

function send(
  target: Server | ReturnType<typeof createApp>,
  req: ClientRequest,
  headers: Record<string, string>,
) {
  const method = req.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
  let test = request(target)[method](urlOf(req));
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  if (req.body === undefined) return test;
  // superagent would JSON-serialise a Buffer sent as application/json: send its text instead
  const json = /json/.test(headers['content-type'] ?? '');
  return test.send(json ? req.body.toString() : req.body);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

describe.each(EXPRESS_VERSIONS)('AWS_IAM methods on Express %s', (_v, express) => {
  const app = createApp(options(), express);

  describe('a valid signature', () => {
    it('lets a signed GET with a query in and fills requestContext.identity', async () => {
      const req: ClientRequest = {
        method: 'GET',
        path: '/prod/items',
        query: [
          ['color', 'red'],
          ['size', 'XL'],
        ],
      };
      const res = await send(app, req, { ...(await sign(req)), 'User-Agent': 'aws-sdk-js/3.0' });
      expect(res.status).toBe(200);
      const event = JSON.parse(res.text);
      expect(event.queryStringParameters).toEqual({ color: 'red', size: 'XL' });
      expect(event.requestContext.identity).toEqual({
        cognitoIdentityPoolId: null,
        accountId: '111122223333',
        cognitoIdentityId: null,
        caller: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
        sourceIp: expect.any(String),
        principalOrgId: null,
        accessKey: USER_KEY,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: 'arn:aws:iam::111122223333:user/alice',
        userAgent: 'aws-sdk-js/3.0',
        user: event.requestContext.identity.caller,
      });
      expect(event.requestContext.authorizer).toBeUndefined();
    });

    it('derives the same caller id for the same user on every request', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const a = JSON.parse((await send(app, req, await sign(req))).text);
      const b = JSON.parse((await send(app, req, await sign(req))).text);
      expect(a.requestContext.identity.caller).toBe(b.requestContext.identity.caller);
    });

    it('lets a signed POST in with its body, the payload hash signed', async () => {
      const body = Buffer.from('{"name":"widget","tags":["a","b"]}');
      const req: ClientRequest = {
        method: 'POST',
        path: '/prod/items',
        headers: { 'content-type': 'application/json' },
        body,
      };
      const headers = await sign(req);
      expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
      const res = await send(app, req, headers);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).body).toBe(body.toString());
    });

    it('lets a signed POST in when the payload hash is not a signed header', async () => {
      const req: ClientRequest = {
        method: 'POST',
        path: '/prod/items',
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('plain body'),
      };
      const res = await send(app, req, await sign(req, { applyChecksum: false }));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).body).toBe('plain body');
    });

    it('accepts UNSIGNED-PAYLOAD when the client signed it as the payload hash', async () => {
      const req: ClientRequest = {
        method: 'POST',
        path: '/prod/items',
        headers: { 'content-type': 'text/plain', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: Buffer.from('anything'),
      };
      const res = await send(app, req, await sign(req));
      expect(res.status).toBe(200);
    });

    it('does not depend on the order or the casing the headers are sent in', async () => {
      const req: ClientRequest = {
        method: 'GET',
        path: '/prod/items',
        headers: { 'x-b-header': 'two', 'x-a-header': '  one   spaced  ' },
      };
      const signed = await sign(req);
      const reordered: Record<string, string> = {};
      for (const name of Object.keys(signed).reverse()) reordered[name.toUpperCase()] = signed[name];
      const res = await send(app, req, reordered);
      expect(res.status).toBe(200);
    });

    it('signs duplicate query keys, in any order, and every query value', async () => {
      const req: ClientRequest = {
        method: 'GET',
        path: '/prod/items',
        query: [
          ['tag', 'zeta'],
          ['a', '1 2'],
          ['tag', 'alpha'],
          ['empty', ''],
          ['ünï', 'çødé/?&='],
        ],
      };
      const res = await send(app, req, await sign(req));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).multiValueQueryStringParameters.tag).toEqual(['zeta', 'alpha']);
    });

    it('signs a percent-encoded path, stage included, encoded twice as SigV4 has it', async () => {
      const req: ClientRequest = { method: 'GET', path: `/prod/items/${encode("a b/c'ü")}` };
      const res = await send(app, req, await sign(req));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).pathParameters).toEqual({ id: 'a%20b%2Fc%27%C3%BC' });
    });

    it('refuses a signature made without the stage in the path', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const res = await send(app, req, await sign({ ...req, path: '/items' }));
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });

    it('lets an assumed role in with its session token', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const headers = await sign(req, {
        accessKeyId: ROLE_KEY,
        secretAccessKey: ROLE_SECRET,
        sessionToken: ROLE_TOKEN,
      });
      const res = await send(app, req, headers);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity).toMatchObject({
        accessKey: ROLE_KEY,
        accountId: '444455556666',
        caller: 'AROAEXAMPLEID123456:bob-session',
        user: 'AROAEXAMPLEID123456:bob-session',
        userArn: 'arn:aws:sts::444455556666:assumed-role/Admin/bob-session',
      });
    });

    it('fills $context.identity in mapping templates', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/whoami' };
      const res = await send(app, req, await sign(req));
      expect(res.status).toBe(200);
      const identity = JSON.parse(res.text);
      expect(identity).toEqual({
        accessKey: USER_KEY,
        accountId: '111122223333',
        caller: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
        user: identity.caller,
        userArn: 'arn:aws:iam::111122223333:user/alice',
        cognitoIdentityId: '',
      });
    });

    it('lets a presigned URL in', async () => {
      const presigned = await signer({ applyChecksum: false }).presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: HOST,
          path: '/prod/items',
          query: {},
          headers: { host: HOST },
        },
        { signingDate: new Date(NOW), expiresIn: 900 },
      );
      const query = Object.entries(presigned.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
      const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity.accessKey).toBe(USER_KEY);
    });

    it('takes the Date header as the signing date when there is no X-Amz-Date', async () => {
      const date = 'Mon, 15 Jan 2024 12:30:45 GMT';
      const canonical = [
        'GET',
        '/prod/items',
        '',
        `date:${date}`,
        `host:${HOST}`,
        '',
        'date;host',
        sha256(''),
      ].join('\n');
      const scope = '20240115/us-east-1/execute-api/aws4_request';
      const stringToSign = ['AWS4-HMAC-SHA256', '20240115T123045Z', scope, sha256(canonical)].join('\n');
      const signature = await signer({}).sign(stringToSign, { signingDate: new Date(NOW) });
      const res = await request(app)
        .get('/prod/items')
        .set('Host', HOST)
        .set('Date', date)
        .set(
          'Authorization',
          `AWS4-HMAC-SHA256 Credential=${USER_KEY}/${scope}, SignedHeaders=date;host, Signature=${signature}`,
        );
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity.accessKey).toBe(USER_KEY);
    });

    it('leaves methods without AWS_IAM open', async () => {
      const res = await request(app).get('/prod/open');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity.userArn).toBeNull();
    });
  });

  describe('refusals, with AWS status, x-amzn-ErrorType and body', () => {
    it('answers Missing Authentication Token without an Authorization header', async () => {
      const res = await request(app).get('/prod/items').set('Host', HOST);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(res.text).toBe('{"message":"Missing Authentication Token"}');
    });

    it('answers IncompleteSignatureException for a bare JWT', async () => {
      const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
      const res = await request(app).get('/prod/items').set('Authorization', jwt);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(res.text)).toEqual({
        message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${jwt}`,
      });
    });

    it('leaves out the date sentence when the request has an X-Amz-Date', async () => {
      const res = await request(app)
        .get('/prod/items')
        .set('Authorization', 'token')
        .set('X-Amz-Date', '20240115T123045Z');
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).message).toBe(
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=token",
      );
    });

    it('answers the key=value message for a Bearer token', async () => {
      const res = await request(app).get('/prod/items').set('Authorization', 'Bearer abc.def.ghi');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(res.text).toBe(
        `{"message":"'abc.def.ghi' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def.ghi'."}`,
      );
    });

    it('answers a malformed credential', async () => {
      const res = await request(app)
        .get('/prod/items')
        .set('X-Amz-Date', '20240115T123045Z')
        .set('Authorization', 'AWS4-HMAC-SHA256 Credential=AKID/20240115, SignedHeaders=host, Signature=00');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(res.text).message).toBe(
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20240115'",
      );
    });

    it('refuses a signature that leaves the Host out of SignedHeaders', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const headers = (
        await signer({ applyChecksum: false }).sign(
          {
            method: 'GET',
            protocol: 'https:',
            hostname: HOST,
            path: req.path,
            query: {},
            headers: { host: HOST },
          },
          { signingDate: new Date(NOW), unsignableHeaders: new Set(['host']) },
        )
      ).headers as Record<string, string>;
      expect(headers.authorization).toContain('SignedHeaders=x-amz-date,');
      const res = await send(app, req, headers);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(res.text).toBe(
        `{"message":"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}`,
      );
    });

    it('refuses a presigned URL that leaves the Host out of X-Amz-SignedHeaders', async () => {
      const presigned = await signer({ applyChecksum: false }).presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: HOST,
          path: '/prod/items',
          query: {},
          headers: { host: HOST },
        },
        { signingDate: new Date(NOW), expiresIn: 900, unsignableHeaders: new Set(['host']) },
      );
      const query = Object.entries(presigned.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
      expect(query).toContainEqual(['X-Amz-SignedHeaders', '']);
      const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(res.text)).toEqual({
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    });

    it('takes the Host signed in any casing', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const headers = await sign(req);
      headers.authorization = headers.authorization.replace('SignedHeaders=host;', 'SignedHeaders=Host;');
      const res = await send(app, req, headers);
      expect(res.status).toBe(200);
    });

    it.each(['AWS4-HMAC-SHA512', 'aws4-hmac-sha256', 'AWS4-ECDSA-P256-SHA256', 'Bearer'])(
      'refuses the algorithm %s in the Authorization header of a signature otherwise valid',
      async (algorithm) => {
        const req: ClientRequest = { method: 'GET', path: '/prod/items' };
        const headers = await sign(req);
        headers.authorization = headers.authorization.replace(/^AWS4-HMAC-SHA256 /, `${algorithm} `);
        const res = await send(app, req, headers);
        expect(res.status).toBe(403);
        expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
        expect(JSON.parse(res.text)).toEqual({
          message: `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
        });
      },
    );

    it('refuses a presigned URL whose X-Amz-Algorithm is not AWS4-HMAC-SHA256', async () => {
      const presigned = await signer({ applyChecksum: false }).presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: HOST,
          path: '/prod/items',
          query: {},
          headers: { host: HOST },
        },
        { signingDate: new Date(NOW), expiresIn: 900 },
      );
      const query = Object.entries(presigned.query ?? {}).map(
        ([k, v]) => [k, k === 'X-Amz-Algorithm' ? 'AWS4-HMAC-SHA1' : String(v)] as [string, string],
      );
      const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(res.text)).toEqual({
        message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). ",
      });
    });

    it.each([
      [
        'a date that is not ISO-8601 basic',
        'garbage',
        `${USER_KEY}/20240115/us-east-1/execute-api/aws4_request`,
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format'. Got 'garbage'. See http://en.wikipedia.org/wiki/ISO_8601",
      ],
      [
        'a scope of another day than X-Amz-Date',
        '20240115T123045Z',
        `${USER_KEY}/20240114/us-east-1/execute-api/aws4_request`,
        'InvalidSignatureException',
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240114' != '20240115', from '20240115T123045Z'.",
      ],
      [
        'a scope without the aws4_request terminator',
        '20240115T123045Z',
        `${USER_KEY}/20240115/us-east-1/execute-api/aws5_request`,
        'InvalidSignatureException',
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
      ],
    ])('refuses %s', async (_name, date, credential, errorType, message) => {
      const res = await request(app)
        .get('/prod/items')
        .set('Host', HOST)
        .set('X-Amz-Date', date)
        .set(
          'Authorization',
          `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        );
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe(errorType);
      expect(JSON.parse(res.text)).toEqual({ message });
    });

    it('answers an unknown access key as an invalid security token', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const res = await send(app, req, await sign(req, { accessKeyId: 'AKIAUNKNOWNKEY000000' }));
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.text).toBe('{"message":"The security token included in the request is invalid."}');
    });

    it('answers a missing or wrong session token as an invalid security token', async () => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const role = { accessKeyId: ROLE_KEY, secretAccessKey: ROLE_SECRET };
      for (const headers of [
        await sign(req, role),
        await sign(req, { ...role, sessionToken: `${ROLE_TOKEN}x` }),
      ]) {
        const res = await send(app, req, headers);
        expect(res.status).toBe(403);
        expect(res.text).toBe('{"message":"The security token included in the request is invalid."}');
      }
    });

    it('answers a wrong secret with the canonical request and string to sign it should have had', async () => {
      const req: ClientRequest = {
        method: 'GET',
        path: '/prod/items',
        query: [
          ['b', '2'],
          ['a', '1'],
        ],
      };
      const res = await send(
        app,
        req,
        await sign(req, { secretAccessKey: 'not-the-secret', applyChecksum: false }),
      );
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      const canonical = [
        'GET',
        '/prod/items',
        'a=1&b=2',
        `host:${HOST}`,
        'x-amz-date:20240115T123045Z',
        '',
        'host;x-amz-date',
        sha256(''),
      ].join('\n');
      const stringToSign = [
        'AWS4-HMAC-SHA256',
        '20240115T123045Z',
        '20240115/us-east-1/execute-api/aws4_request',
        sha256(canonical),
      ].join('\n');
      expect(JSON.parse(res.text)).toEqual({
        message: `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
      });
    });

    it('refuses a body whose signed payload hash is another body', async () => {
      const req: ClientRequest = {
        method: 'POST',
        path: '/prod/items',
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('signed body'),
      };
      const headers = await sign(req);
      const res = await send(app, { ...req, body: Buffer.from('other body!') }, headers);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });

    it.each([
      ['more than 5 minutes old', NOW + 5 * 60_000 + 1000, 'expired'],
      ['more than 5 minutes ahead', NOW - 5 * 60_000 - 1000, 'future'],
    ])('refuses a signature %s', async (_name, clockAt, kind) => {
      const late = createApp(
        options(() => clockAt),
        express,
      );
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const res = await send(late, req, await sign(req));
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(res.text)).toEqual({
        message:
          kind === 'expired'
            ? 'Signature expired: 20240115T123045Z is now earlier than 20240115T123046Z (20240115T123546Z - 5 min.)'
            : 'Signature not yet current: 20240115T123045Z is still later than 20240115T123044Z (20240115T122544Z + 5 min.)',
      });
    });

    it('accepts a signature exactly 5 minutes either side of the clock', async () => {
      for (const clockAt of [NOW + 5 * 60_000, NOW - 5 * 60_000]) {
        const req: ClientRequest = { method: 'GET', path: '/prod/items' };
        const res = await send(
          createApp(
            options(() => clockAt),
            express,
          ),
          req,
          await sign(req),
        );
        expect(res.status).toBe(200);
      }
    });

    it('refuses an expired presigned URL', async () => {
      const presigned = await signer({ applyChecksum: false }).presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: HOST,
          path: '/prod/items',
          query: {},
          headers: { host: HOST },
        },
        { signingDate: new Date(NOW), expiresIn: 60 },
      );
      const query = Object.entries(presigned.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
      const late = createApp(
        options(() => NOW + 61_000),
        express,
      );
      const res = await send(late, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(res.text).message).toMatch(
        /^Signature expired: 20240115T123045Z is now earlier than/,
      );
    });

    it.each([
      [{ region: 'eu-west-1' }, "Credential should be scoped to a valid region, not 'eu-west-1'. "],
      [{ service: 'apigateway' }, "Credential should be scoped to correct service: 'execute-api'. "],
    ])('refuses a credential scope of another region or service (%o)', async (scope, message) => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items' };
      const res = await send(app, req, await sign(req, scope));
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(res.text)).toEqual({ message });
    });
  });

  describe('tampering (property)', () => {
    let server: Server;
    beforeAll(() => {
      server = app.listen(0);
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    const text = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 8 });
    const segment = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
      .filter((s) => s !== '.' && s !== '..');
    const headerValue = fc
      .string({ unit: fc.constantFrom(...'abcXYZ019 -_.;,=/"'.split('')), minLength: 1, maxLength: 12 })
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const signedRequest = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      segments: fc.array(segment, { minLength: 1, maxLength: 3 }),
      query: fc.array(fc.tuple(text, text), { maxLength: 4 }),
      headers: fc.uniqueArray(fc.tuple(fc.stringMatching(/^x-t-[a-z]{1,6}$/), headerValue), {
        maxLength: 3,
        selector: ([name]) => name,
      }),
      body: fc.uint8Array({ maxLength: 40 }),
      applyChecksum: fc.boolean(),
    });
    const toClient = (r: SignedShape): ClientRequest => ({
      method: r.method,
      path: `/prod/things/${r.segments.map(encode).join('/')}`,
      query: r.query,
      headers: Object.fromEntries(r.headers),
      body: r.method === 'GET' || r.method === 'DELETE' ? undefined : Buffer.from(r.body),
    });

    it('lets every unmodified signed request in', async () => {
      await fc.assert(
        fc.asyncProperty(signedRequest, async (r) => {
          const req = toClient(r);
          const res = await send(server, req, await sign(req, { applyChecksum: r.applyChecksum }));
          expect(res.status).toBe(200);
          expect(JSON.parse(res.text).requestContext.identity.accessKey).toBe(USER_KEY);
        }),
        { numRuns: 60 },
      );
    });

    const tampers = ['header', 'path', 'query', 'body', 'method', 'signature'] as const;
    it('refuses every request changed in one thing after signing', async () => {
      await fc.assert(
        fc.asyncProperty(signedRequest, fc.constantFrom(...tampers), fc.nat(), async (r, tamper, pick) => {
          const req = toClient(r);
          const headers = await sign(req, { applyChecksum: r.applyChecksum });
          let sent: ClientRequest = req;
          const sentHeaders = { ...headers };
          switch (tamper) {
            case 'header': {
              const names = Object.keys(req.headers ?? {});
              if (names.length === 0) sentHeaders['x-amz-date'] = '20240115T123046Z';
              else {
                const name = names[pick % names.length];
                sentHeaders[name] = `${sentHeaders[name]}Z`;
              }
              break;
            }
            case 'path':
              sent = { ...req, path: `${req.path}z` };
              break;
            case 'query': {
              const query = [...(req.query ?? [])];
              if (query.length === 0) query.push(['added', '1']);
              else {
                const i = pick % query.length;
                query[i] = [query[i][0], `${query[i][1]}z`];
              }
              sent = { ...req, query };
              break;
            }
            case 'body':
              sent = { ...req, body: Buffer.concat([req.body ?? Buffer.alloc(0), Buffer.from('!')]) };
              if (req.body === undefined) sentHeaders['content-type'] = 'text/plain';
              break;
            case 'method':
              sent = { ...req, method: req.method === 'PUT' ? 'PATCH' : 'PUT' };
              break;
            case 'signature': {
              const auth = sentHeaders.authorization;
              const at = auth.length - 1 - (pick % 64);
              const flipped = auth[at] === '0' ? '1' : '0';
              sentHeaders.authorization = `${auth.slice(0, at)}${flipped}${auth.slice(at + 1)}`;
              break;
            }
          }
          const res = await send(server, sent, sentHeaders);
          expect(res.status).toBe(403);
          expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
        }),
        { numRuns: 150 },
      );
    });
  });
});

interface SignedShape {
  method: string;
  segments: string[];
  query: [string, string][];
  headers: [string, string][];
  body: Uint8Array;
  applyChecksum: boolean;
}

describe('the README AWS_IAM example', () => {
  it('signs with @smithy/signature-v4 and reaches the handler as alice', async () => {
    const app = createApp({
      functions: { getItem: echoEvent },
      awsCredentials: {
        AKIAIOSFODNN7EXAMPLE: {
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          userArn: 'arn:aws:iam::111122223333:user/alice',
        },
      },
      resources: {
        '/items/{id}': {
          GET: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', function: 'getItem' } },
        },
      },
    });

    const host = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/prod/items/42',
      headers: { host },
    });
    const res = await request(app).get('/prod/items/42').set(signed.headers);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).requestContext.identity).toMatchObject({
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      accountId: '111122223333',
      userArn: 'arn:aws:iam::111122223333:user/alice',
    });
  });
});

describe.each(EXPRESS_VERSIONS)('access key ids as clients send them (Express %s)', (_v, express) => {
  // AWS's SigV4 test suite signs with AKIDEXAMPLE; LocalStack and other local stacks with `test`.
  const credentials = {
    AKIDEXAMPLE: {
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      userArn: 'arn:aws:iam::111122223333:user/suite',
    },
    test: { secretAccessKey: 'test', userArn: 'arn:aws:iam::000000000000:user/local' },
  };
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp({ ...options(), awsCredentials: credentials }, express);
  });

  it.each(Object.entries(credentials))(
    'lets a request signed with %s in',
    async (accessKeyId, { secretAccessKey }) => {
      const req: ClientRequest = { method: 'GET', path: '/prod/items', query: [['q', '1']] };
      const res = await send(app, req, await sign(req, { accessKeyId, secretAccessKey }));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).requestContext.identity.accessKey).toBe(accessKeyId);
    },
  );

  it('lets a presigned URL made with test in', async () => {
    const presigned = await signer({
      accessKeyId: 'test',
      secretAccessKey: 'test',
      applyChecksum: false,
    }).presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: HOST,
        path: '/prod/items',
        query: {},
        headers: { host: HOST },
      },
      { signingDate: new Date(NOW), expiresIn: 900 },
    );
    const query = Object.entries(presigned.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
    const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).requestContext.identity.accessKey).toBe('test');
  });

  it.each(['a/b', '', 'a b', 'AKIA\tEXAMPLE', 'key\n'])(
    'refuses the access key id %j at startup',
    (accessKeyId) => {
      const start = () =>
        createApp(
          {
            ...options(),
            awsCredentials: {
              [accessKeyId]: { secretAccessKey: 's', userArn: 'arn:aws:iam::111122223333:user/x' },
            },
          },
          express,
        );
      expect(start).toThrow(ConfigError);
      expect(start).toThrow(
        `awsCredentials["${accessKeyId}"]: not an access key id: it must be non-empty, without '/' or whitespace, as in a SigV4 Credential (e.g. AKIAIOSFODNN7EXAMPLE)`,
      );
    },
  );
});

/**
 * A presigned URL signed by hand, so that its query may hold what an SDK would refuse to write
 * (no X-Amz-Algorithm, an X-Amz-Expires over a week): the signature is valid for exactly that query.
 */
async function presignByHand(params: [string, string][], path = '/prod/items'): Promise<[string, string][]> {
  const canonicalQuery = [...params]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
  const canonical = ['GET', path, canonicalQuery, `host:${HOST}`, '', 'host', sha256('')].join('\n');
  const scope = '20240115/us-east-1/execute-api/aws4_request';
  const stringToSign = ['AWS4-HMAC-SHA256', '20240115T123045Z', scope, sha256(canonical)].join('\n');
  const signature = await signer({}).sign(stringToSign, { signingDate: new Date(NOW) });
  return [...params, ['X-Amz-Signature', signature]];
}

const presignParams = (expires: string): [string, string][] => [
  ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
  ['X-Amz-Credential', `${USER_KEY}/20240115/us-east-1/execute-api/aws4_request`],
  ['X-Amz-Date', '20240115T123045Z'],
  ['X-Amz-Expires', expires],
  ['X-Amz-SignedHeaders', 'host'],
];

describe.each(EXPRESS_VERSIONS)('what a signature covers, pinned (Express %s)', (_v, express) => {
  const app = createApp(options(), express);

  it('takes a hand-made presigned URL, so the refusals below are about their one change', async () => {
    const query = await presignByHand(presignParams('900'));
    const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
    expect(res.status).toBe(200);
  });

  it('refuses UNSIGNED-PAYLOAD when x-amz-content-sha256 is not a signed header, whatever the body', async () => {
    const req: ClientRequest = {
      method: 'POST',
      path: '/prod/items',
      headers: { 'content-type': 'text/plain', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: Buffer.from('signed body'),
    };
    const signed = (
      await signer({}).sign(
        {
          method: req.method,
          protocol: 'https:',
          hostname: HOST,
          path: req.path,
          query: {},
          headers: { host: HOST, ...req.headers },
          body: req.body,
        },
        { signingDate: new Date(NOW), unsignableHeaders: new Set(['x-amz-content-sha256']) },
      )
    ).headers as Record<string, string>;
    expect(signed.authorization).not.toContain('x-amz-content-sha256');
    for (const body of ['signed body', 'other body!']) {
      const res = await send(app, { ...req, body: Buffer.from(body) }, signed);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    }
  });

  it.each([['60.5'], ['1e3'], ['+60'], ['-1'], ['0'], ['604801'], ['']])(
    'refuses a presigned URL whose X-Amz-Expires is %j',
    async (expires) => {
      const query = await presignByHand(presignParams(expires));
      const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(res.text)).toEqual({
        message: `X-Amz-Expires must be a whole number of seconds from 1 to 604800, got '${expires}'.`,
      });
    },
  );

  it.each([['1'], ['604800']])('takes a presigned URL whose X-Amz-Expires is %s', async (expires) => {
    const query = await presignByHand(presignParams(expires));
    const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
    expect(res.status).toBe(200);
  });

  it('refuses a presigned URL without X-Amz-Algorithm as incomplete, even with a signature over what it has', async () => {
    const query = await presignByHand(presignParams('900').filter(([k]) => k !== 'X-Amz-Algorithm'));
    const res = await send(app, { method: 'GET', path: '/prod/items', query }, { Host: HOST });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
    expect(JSON.parse(res.text)).toEqual({
      message:
        "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    });
  });

  it('does not let the signature of ?q=ab admit ?q=a+b', async () => {
    const headers = await sign({ method: 'GET', path: '/prod/items', query: [['q', 'ab']] });
    expect((await request(app).get('/prod/items?q=ab').set(headers)).status).toBe(200);
    const res = await request(app).get('/prod/items?q=a+b').set(headers);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('does not let the signature of ?fla= or of ?flag=flag admit ?flag', async () => {
    const flag = await sign({ method: 'GET', path: '/prod/items', query: [['flag', '']] });
    expect((await request(app).get('/prod/items?flag').set(flag)).status).toBe(200);
    for (const query of [[['fla', '']], [['flag', 'flag']]] as [string, string][][]) {
      const headers = await sign({ method: 'GET', path: '/prod/items', query });
      const res = await request(app).get('/prod/items?flag').set(headers);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    }
  });

  it('signs a header sent on two lines as its values joined by a comma, never as one run-together value', async () => {
    const req: ClientRequest = { method: 'GET', path: '/prod/items' };
    const joined = await sign({ ...req, headers: { 'x-tag': 'a,b' } });
    const twoLines = (headers: Record<string, string>) => {
      const { 'x-tag': _drop, ...rest } = headers;
      return request(app)
        .get('/prod/items')
        .set(rest)
        .set('x-tag', ['a', 'b'] as unknown as string); // two header lines
    };
    expect((await twoLines(joined)).status).toBe(200);
    const runTogether = await sign({ ...req, headers: { 'x-tag': 'ab' } });
    const res = await twoLines(runTogether);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });
});

describe('readSignature: the Host a signature must cover', () => {
  const read = (signedHeaders: string) =>
    readSignature({
      method: 'GET',
      path: '/prod/items',
      query: {},
      headers: new Map([
        [
          'authorization',
          [
            `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/execute-api/aws4_request, SignedHeaders=${signedHeaders}, Signature=00`,
          ],
        ],
        ['x-amz-date', ['20240115T123045Z']],
      ]),
      body: Buffer.alloc(0),
    });

  it('takes host, in any casing, or HTTP/2’s :authority', () => {
    expect(read('Host;x-amz-date')).toMatchObject({ signedHeaders: ['host', 'x-amz-date'] });
    expect(read(':authority;x-amz-date')).toMatchObject({ signedHeaders: [':authority', 'x-amz-date'] });
  });

  it('refuses a list without either, a name that only contains it included', () => {
    for (const list of ['x-amz-date', 'x-host;x-amz-date', 'authority;x-amz-date', '']) {
      expect(read(list)).toEqual({
        errorType: 'InvalidSignatureException',
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    }
  });
});
