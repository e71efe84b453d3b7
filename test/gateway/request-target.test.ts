import type { RequestListener } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { type Listening, listen, rawRequest } from '../support/raw-request.js';

// Every request here is written byte for byte on a socket: HTTP clients would drop the fragment,
// resolve dot segments or turn an absolute-form target into origin-form before sending.

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod';
const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);
const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Lets `good` in everywhere but `GET /pets/7`, which it denies by its exact ARN; refuses other tokens. */
function tokenAuthorizer(seen: string[]) {
  return async (event: APIGatewayTokenAuthorizerEvent) => {
    seen.push(event.methodArn);
    if (event.authorizationToken !== 'good') throw new Error('Unauthorized');
    return {
      principalId: 'user',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*/*` },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/GET/pets/7` },
        ],
      },
    };
  };
}

const guarded = { authorizationType: 'CUSTOM' as const, authorizer: 'token', ...proxy('echo') };
const iam = { authorizationType: 'AWS_IAM' as const, ...proxy('echo') };

function options(seen: string[]): ApiGatewayOptions {
  return {
    stageName: 'prod',
    restApiId: 'abc123defg',
    accountId: '123456789012',
    clock: () => NOW,
    logger: silentLogger(),
    functions: { echo: echoEvent, auth: tokenAuthorizer(seen) },
    authorizers: {
      token: {
        type: 'TOKEN',
        function: 'auth',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 0,
      },
    },
    awsCredentials: {
      [ACCESS_KEY]: { secretAccessKey: SECRET, userArn: 'arn:aws:iam::123456789012:user/alice' },
    },
    resources: {
      '/admin': { GET: guarded },
      '/pets/{id}': { GET: guarded },
      '/signed': { GET: iam },
      '/signed/{proxy+}': { GET: proxy('echo') },
      '/{proxy+}': { ANY: proxy('echo') },
    },
  };
}

/** The host's own answer for what the gateway hands on. */
const hostNotFound: RequestListener = (_req, res) => {
  res.statusCode = 404;
  res.end('host');
};

const HOSTS: [string, (opts: ApiGatewayOptions) => RequestListener][] = [
  ...EXPRESS_VERSIONS.map(([version, factory]): [string, (opts: ApiGatewayOptions) => RequestListener] => [
    `Express ${version}`,
    (opts) => createApp(opts, factory, { after: (app) => app.use(hostNotFound) }),
  ]),
  [
    'node:http',
    (opts) => {
      const gateway = apiGateway(opts);
      return (req, res) => gateway(req, res, () => hostNotFound(req, res));
    },
  ],
];

const eventOf = (body: string) => JSON.parse(body) as APIGatewayProxyEvent;

/** Headers an AWS SDK sends for `GET {path}`, signed with smithy's SignatureV4. */
async function signedHeaders(path: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    { method: 'GET', protocol: 'https:', hostname: HOST, path, query: {}, headers: { host: HOST } },
    { signingDate: new Date(NOW) },
  );
  return signed.headers as Record<string, string>;
}

describe.each(HOSTS)('the request target on %s', (_host, build) => {
  let seen: string[];
  let server: Listening;
  const get = (target: string, headers: Record<string, string> = {}) =>
    rawRequest(server.port, `GET ${target} HTTP/1.1`, headers);
  beforeEach(async () => {
    seen = [];
    server = await listen(build(options(seen)));
  });
  afterEach(() => server.close());

  it('drops a fragment before routing: /prod/admin#x is the guarded /admin, not the public {proxy+}', async () => {
    const res = await get('/prod/admin#x');
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
    const open = await get('/prod/public#/../admin');
    expect(open.status).toBe(200);
    const event = eventOf(open.body);
    expect(event.path).toBe('/public');
    expect(event.requestContext.path).toBe('/prod/public');
    expect(event.pathParameters).toEqual({ proxy: 'public' });
  });

  it('reads an absolute-form target as its path and query: GET http://host/prod/admin is the guarded /admin', async () => {
    const res = await get('http://elsewhere.example/prod/admin');
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
    const open = await get(`http://${HOST}/prod/public?a=1#f`);
    expect(open.status).toBe(200);
    const event = eventOf(open.body);
    expect(event.path).toBe('/public');
    expect(event.requestContext.path).toBe('/prod/public');
    expect(event.queryStringParameters).toEqual({ a: '1' });
  });

  it.each([
    '/prod/public/../admin',
    '/prod/./admin',
    '/prod/admin/.',
    '/prod/x/%2e%2E/admin',
    '/prod/x/.%2e/admin',
    '/prod/x/%2E/admin',
    '/prod/x\\..\\admin',
    '/prod/public\\admin',
    '/elsewhere/../prod/admin',
  ])('refuses %s with 400 before routing: URL readers would resolve it to another path', async (target) => {
    const res = await get(target);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"message":"Bad Request"}');
    expect(seen).toEqual([]);
  });

  it('keeps dots that are not whole segments: /prod/a.b/..c is a {proxy+} value', async () => {
    const res = await get('/prod/a.b/..c/.d.');
    expect(res.status).toBe(200);
    expect(eventOf(res.body).pathParameters).toEqual({ proxy: 'a.b/..c/.d.' });
  });

  it('hands on what is not under the stage, even once resolved, and the asterisk form', async () => {
    const out = await get('/prod/../elsewhere');
    expect(out.status).toBe(404);
    expect(out.body).toBe('host');
    const star = await rawRequest(server.port, 'OPTIONS * HTTP/1.1');
    expect(star.status).toBe(404);
    expect(star.body).toBe('host');
  });

  it.each(['/prod/pets/7/', '/prod/pets//7', '/prod//pets/7', '/prod/pets/7//'])(
    'judges %s by the methodArn of /pets/7, so its exact-ARN Deny holds',
    async (target) => {
      const res = await get(target, { Authorization: 'good' });
      expect(res.status).toBe(403);
      expect(res.body).toBe(
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      );
      expect(seen).toEqual([`${ARN}/GET/pets/7`]);
    },
  );

  it('keeps the slashes as sent in event.path while the methodArn has one spelling', async () => {
    const res = await get('/prod/pets//8/', { Authorization: 'good' });
    expect(res.status).toBe(200);
    const event = eventOf(res.body);
    expect(event.path).toBe('/pets//8/');
    expect(event.resource).toBe('/pets/{id}');
    expect(event.pathParameters).toEqual({ id: '8' });
    expect(seen).toEqual([`${ARN}/GET/pets/8`]);
  });

  it('does not let a signature made for /prod/signed reach another resource through dot segments', async () => {
    const headers = await signedHeaders('/prod/signed');
    const ok = await get('/prod/signed', headers);
    expect(ok.status).toBe(200);
    expect(eventOf(ok.body).resource).toBe('/signed');
    for (const target of ['/prod/signed/.', '/prod/signed/x/..', '/prod/a/../signed', '/prod/signed/%2e']) {
      const replay = await get(target, headers);
      expect({ target, status: replay.status }).toEqual({ target, status: 400 });
    }
    // Extra slashes name the same resource: the signature (over the normalised path) still holds.
    const same = await get('/prod//signed', headers);
    expect(same.status).toBe(200);
    expect(eventOf(same.body).resource).toBe('/signed');
  });
});

describe.each(EXPRESS_VERSIONS)(
  'the request target under an Express mount path (Express %s)',
  (_v, factory) => {
    let server: Listening;
    beforeEach(async () => {
      const app = factory();
      app.use('/api', apiGateway(options([])));
      app.use(hostNotFound);
      server = await listen(app);
    });
    afterEach(() => server.close());
    const get = (target: string) => rawRequest(server.port, `GET ${target} HTTP/1.1`);

    it('reads absolute-form and fragments alike below the mount, signing over the full path', async () => {
      expect((await get('http://h.example/api/prod/admin')).status).toBe(401);
      expect((await get('/api/prod/admin#x')).status).toBe(401);
      const open = await get('http://h.example/api/prod/public?a=1#f');
      expect(open.status).toBe(200);
      const event = eventOf(open.body);
      expect(event.path).toBe('/public');
      expect(event.requestContext.path).toBe('/api/prod/public');
      expect(event.queryStringParameters).toEqual({ a: '1' });
    });

    it('refuses dot segments anywhere in the target, the mount path included', async () => {
      expect((await get('/api/prod/x/../admin')).status).toBe(400);
      expect((await get('/api/x/../prod/admin')).status).toBe(400);
    });
  },
);
