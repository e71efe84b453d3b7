import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { type Listening, listen, openRequest, rawRequest } from '../support/raw-request.js';

const NOW = Date.UTC(2024, 0, 15, 12, 30, 45);
const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const MiB = 1024 * 1024;

/** A TOKEN authorizer that counts its calls and lets nobody in. */
function refusingAuthorizer(calls: { count: number }) {
  return async (_event: APIGatewayTokenAuthorizerEvent) => {
    calls.count++;
    throw new Error('Unauthorized');
  };
}

function options(calls: { count: number }, extra: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return {
    stageName: 'prod',
    restApiId: 'abc123defg',
    clock: () => NOW,
    logger: silentLogger(),
    functions: { echo: echoEvent, auth: refusingAuthorizer(calls) },
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
      '/upload': { POST: { authorizationType: 'CUSTOM', authorizer: 'token', ...proxy('echo') } },
      '/signed': { POST: { authorizationType: 'AWS_IAM', ...proxy('echo') } },
      '/open': { POST: proxy('echo') },
    },
    ...extra,
  };
}

/** The headers an AWS SDK sends for `POST /prod/signed`, payload hash signed or `UNSIGNED-PAYLOAD`. */
async function signPost(body: string, unsignedPayload = false): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const headers: Record<string, string> = { host: HOST, 'content-length': String(Buffer.byteLength(body)) };
  headers['x-amz-content-sha256'] = unsignedPayload
    ? 'UNSIGNED-PAYLOAD'
    : createHash('sha256').update(body).digest('hex');
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: HOST, path: '/prod/signed', query: {}, headers, body },
    { signingDate: new Date(NOW) },
  );
  return signed.headers as Record<string, string>;
}

const head = (lines: Record<string, string>, requestLine: string) =>
  [requestLine, ...Object.entries(lines).map(([k, v]) => `${k}: ${v}`)].join('\r\n');

describe.each(EXPRESS_VERSIONS)(
  'the payload is read after the guards that need none (Express %s)',
  (_v, express) => {
    let calls: { count: number };
    let server: Listening;
    beforeEach(async () => {
      calls = { count: 0 };
      server = await listen(createApp(options(calls), express));
    });
    afterEach(() => server.close());

    it('answers an unauthenticated upload 401 while its body is still on the way', async () => {
      // 5 MB announced, 1 KB sent, then nothing: the answer must not wait for the rest.
      const open = await openRequest(
        server.port,
        head({ Host: HOST, 'Content-Length': String(5 * MiB) }, 'POST /prod/upload HTTP/1.1'),
        Buffer.alloc(1024, 97),
      );
      const res = await open.answer;
      open.socket.destroy();
      expect(res.status).toBe(401);
      expect(res.body).toBe('{"message":"Unauthorized"}');
      expect(calls.count).toBe(0);
    });

    it('calls the TOKEN authorizer before the body arrives, and refuses with its answer', async () => {
      const open = await openRequest(
        server.port,
        head(
          { Host: HOST, Authorization: 'junk', 'Content-Length': String(5 * MiB) },
          'POST /prod/upload HTTP/1.1',
        ),
        Buffer.alloc(1024, 97),
      );
      const res = await open.answer;
      open.socket.destroy();
      expect(res.status).toBe(401);
      expect(calls.count).toBe(1);
    });

    it('refuses a bad signature with an UNSIGNED-PAYLOAD hash before the body arrives', async () => {
      const headers = await signPost('x'.repeat(1000), true);
      headers.authorization = headers.authorization.replace(
        /Signature=[0-9a-f]+/,
        `Signature=${'0'.repeat(64)}`,
      );
      const open = await openRequest(
        server.port,
        head({ ...headers, 'content-length': String(5 * MiB) }, 'POST /prod/signed HTTP/1.1'),
        Buffer.alloc(1024, 97),
      );
      const res = await open.answer;
      open.socket.destroy();
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });

    it('still reads the body first for a signature over the payload hash, and checks it', async () => {
      const body = '{"pet":"rex"}';
      const headers = await signPost(body);
      const ok = await rawRequest(server.port, 'POST /prod/signed HTTP/1.1', headers, body);
      expect(ok.status).toBe(200);
      expect((JSON.parse(ok.body) as APIGatewayProxyEvent).body).toBe(body);
      const tampered = await rawRequest(server.port, 'POST /prod/signed HTTP/1.1', headers, '{"pet":"max"}');
      expect(tampered.status).toBe(403);
      expect(tampered.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });

    it('gives the integration the body of a request signed with UNSIGNED-PAYLOAD', async () => {
      const body = 'a body the signature leaves out';
      const headers = await signPost(body, true);
      const res = await rawRequest(server.port, 'POST /prod/signed HTTP/1.1', headers, body);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as APIGatewayProxyEvent).body).toBe(body);
    });

    it('keeps answering 413 to a Content-Length over 10 MB before any guard', async () => {
      const res = await rawRequest(server.port, 'POST /prod/upload HTTP/1.1', {
        Host: HOST,
        'Content-Length': String(10 * MiB + 1),
      });
      expect(res.status).toBe(413);
      expect(res.body).toBe('HTTP content length exceeded 10485760 bytes.');
      expect(calls.count).toBe(0);
    });
  },
);

describe.each(EXPRESS_VERSIONS)(
  'bodies held at once are bounded by maxBufferedBodyBytes (Express %s)',
  (_v, express) => {
    it('answers 429 Too Many Requests when a body would go over the bound, and takes requests again once it is freed', async () => {
      const arrived: (() => void)[] = [];
      const closed: (() => void)[] = [];
      const nextArrival = () => new Promise<void>((resolve) => arrived.push(resolve));
      const nextClose = () => new Promise<void>((resolve) => closed.push(resolve));
      const app = createApp(options({ count: 0 }, { maxBufferedBodyBytes: 10 * MiB }), express, {
        before: (a) =>
          a.use((req, _res, next) => {
            req.on('close', () => closed.shift()?.());
            next();
            arrived.shift()?.();
          }),
      });
      const server = await listen(app);
      try {
        // 8 MB announced and stalled: its reservation is held while it waits.
        const first = nextArrival();
        const firstClosed = nextClose();
        const slow = await openRequest(
          server.port,
          head({ Host: HOST, 'Content-Length': String(8 * MiB) }, 'POST /prod/open HTTP/1.1'),
          'abc',
        );
        await first;
        // A declared length is reserved whole: refused before a byte of it is read.
        const second = await openRequest(
          server.port,
          head({ Host: HOST, 'Content-Length': String(4 * MiB) }, 'POST /prod/open HTTP/1.1'),
        );
        const refused = await second.answer;
        second.socket.destroy();
        expect(refused.status).toBe(429);
        expect(refused.headers.connection).toBe('close');
        expect(refused.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
        expect(refused.body).toBe('{"message":"Too Many Requests"}');
        // The stalled client goes away: its bytes are given back.
        slow.socket.destroy();
        await firstClosed;
        const ok = await rawRequest(
          server.port,
          'POST /prod/open HTTP/1.1',
          { Host: HOST, 'Content-Length': String(4 * MiB) },
          Buffer.alloc(4 * MiB, 98),
        );
        expect(ok.status).toBe(200);
        expect((JSON.parse(ok.body) as APIGatewayProxyEvent).body).toHaveLength(4 * MiB);
      } finally {
        await server.close();
      }
    });

    it('refuses a bound smaller than one full payload at startup, naming the option', () => {
      expect(() => apiGateway(options({ count: 0 }, { maxBufferedBodyBytes: 1000 }))).toThrow(
        /maxBufferedBodyBytes: 1000/,
      );
    });
  },
);

describe.each(EXPRESS_VERSIONS)('stage throttles come before the authorizer (Express %s)', (_v, express) => {
  it('200 junk tokens against a 1 rps method cost one authorizer call; the rest are 429', async () => {
    const calls = { count: 0 };
    const app = createApp(
      options(calls, {
        methodSettings: [
          { resourcePath: '/upload', httpMethod: 'POST', throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        ],
      }),
      express,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await request(app).post('/prod/upload').set('Authorization', `junk-${i}`).send('x');
      statuses.push(res.status);
    }
    expect(calls.count).toBe(1);
    expect(statuses[0]).toBe(401);
    expect(statuses.slice(1).every((s) => s === 429)).toBe(true);
  });
});
