import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { type ApiGatewayMiddleware, apiGateway, ConfigError } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A gateway whose `/slow` function answers only when the test says, and says when it started. */
function slowApi(logger = silentLogger()) {
  let started = deferred();
  let release = deferred();
  const gateway = apiGateway({
    stageName: 'prod',
    healthPath: '/healthz',
    logger,
    functions: {
      slow: async () => {
        started.resolve();
        await release.promise;
        return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'finished' };
      },
      fast: async () => ({ statusCode: 200, body: 'fast' }),
    },
    resources: {
      '/slow': { GET: { integration: { type: 'AWS_PROXY', function: 'slow' } } },
      '/fast': { GET: { integration: { type: 'AWS_PROXY', function: 'fast' } } },
    },
  });
  return {
    gateway,
    logger,
    started: () => started.promise,
    finish: () => release.resolve(),
    reset: () => {
      started = deferred();
      release = deferred();
    },
  };
}

/** Resolves true once `promise` has settled, false if it is still pending after pending I/O ran. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe.each(EXPRESS_VERSIONS)('close() under Express %s', (_version, express) => {
  let server: http.Server;
  let api: ReturnType<typeof slowApi>;

  beforeEach(async () => {
    api = slowApi();
    const app = express();
    app.use(api.gateway);
    app.get('/elsewhere', (_req, res) => {
      res.send('the host app');
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    api.finish();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets a request in flight finish with its answer before close() resolves', async () => {
    expect.assertions(6);
    const inFlight = request(server)
      .get('/prod/slow')
      .then((res) => res);
    await api.started();
    const closing = api.gateway.close();
    expect(await settledYet(closing)).toBe(false);
    api.finish();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.text).toBe('finished');
    // Its connection closes after it, so a keep-alive client comes back on a new one.
    expect(res.headers.connection).toBe('close');
    await expect(closing).resolves.toBeUndefined();
    expect(api.logger.calls.filter((call) => call.level === 'warn')).toEqual([]);
  });

  it('answers a request that arrives while closing with 503 and Connection: close, not a hang', async () => {
    const inFlight = request(server)
      .get('/prod/slow')
      .then((res) => res);
    await api.started();
    const closing = api.gateway.close();
    const late = await request(server).get('/prod/fast');
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe('close');
    expect(late.headers['content-type']).toBe('application/json');
    expect(late.body).toEqual({ message: 'Service Unavailable' });
    api.finish();
    expect((await inFlight).status).toBe(200);
    await closing;
    const afterClose = await request(server).get('/prod/fast');
    expect(afterClose.status).toBe(503);
    expect(afterClose.body).toEqual({ message: 'Service Unavailable' });
  });

  it('still hands requests outside the stage to the host app once closed', async () => {
    await api.gateway.close();
    const res = await request(server).get('/elsewhere');
    expect(res.status).toBe(200);
    expect(res.text).toBe('the host app');
  });

  it('answers the health path 200 while serving and 503 from close() on', async () => {
    const ok = await request(server).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toEqual({ status: 'ok' });
    const inFlight = request(server)
      .get('/prod/slow')
      .then((res) => res);
    await api.started();
    const closing = api.gateway.close();
    const draining = await request(server).get('/healthz?probe=lb');
    expect(draining.status).toBe(503);
    expect(draining.body).toEqual({ status: 'draining' });
    api.finish();
    await inFlight;
    await closing;
    expect((await request(server).head('/healthz')).status).toBe(503);
  });

  it('abandons what is still in flight after graceMs: answered 503, logged, and close() resolves', async () => {
    const inFlight = request(server)
      .get('/prod/slow')
      .then((res) => res);
    await api.started();
    await api.gateway.close({ graceMs: 0 });
    const res = await inFlight;
    expect(res.status).toBe(503);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toEqual({ message: 'Service Unavailable' });
    expect(api.logger.calls.filter((call) => call.level === 'warn')).toEqual([
      {
        level: 'warn',
        args: [
          'apigw-express: closing: 1 request still in flight after graceMs 0, answered 503 and abandoned',
        ],
      },
    ]);
  });
});

describe('close() on a bare node:http server', () => {
  let gateway: ApiGatewayMiddleware;
  let server: http.Server;
  let api: ReturnType<typeof slowApi>;
  beforeAll(async () => {
    api = slowApi();
    gateway = api.gateway;
    server = http.createServer((req, res) => gateway(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    api.finish();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers a request on a kept-alive connection 503 and closes that connection', async () => {
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status?: number; body: string; closed: Promise<void> }>((resolve, reject) => {
        const req = http.get({ port, host: '127.0.0.1', path, agent }, (res) => {
          let body = '';
          const closed = new Promise<void>((done) => res.socket.once('close', () => done()));
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, body, closed }));
        });
        req.on('error', reject);
      });
    const first = await get('/prod/fast');
    expect(first.status).toBe(200);
    await gateway.close();
    const second = await get('/prod/fast');
    expect(second.status).toBe(503);
    // The server ends the connection itself: the promise settles without the agent being destroyed.
    await second.closed;
    agent.destroy();
  });

  it('is idempotent: a second close() resolves as the first', async () => {
    await expect(gateway.close()).resolves.toBeUndefined();
  });
});

describe('close() options and healthPath', () => {
  it('refuses a graceMs that is not a duration', async () => {
    const { gateway } = slowApi();
    await expect(gateway.close({ graceMs: -1 })).rejects.toThrow(
      new ConfigError('close: graceMs: -1 (milliseconds, 0 or more; leave it out for no limit)'),
    );
    await expect(gateway.close({ graceMs: Number.NaN })).rejects.toThrow(ConfigError);
  });

  it('resolves at once with nothing in flight', async () => {
    const { gateway } = slowApi();
    await expect(gateway.close({ graceMs: 60_000 })).resolves.toBeUndefined();
  });

  it('answers the health path 503 "starting" while no definition is being served', async () => {
    const gateway = apiGateway({
      openapi: '/nonexistent/openapi.yaml',
      healthPath: '/healthz',
      logger: silentLogger(),
    });
    const res = await request(http.createServer((req, res) => gateway(req, res))).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'starting' });
    await gateway.close();
  });

  it.each([
    [
      '/prod/healthz',
      "healthPath: /prod/healthz is under the stage's base path /prod; it must lie outside it, so it hides none of the API's resources",
    ],
    [
      '/prod',
      "healthPath: /prod is under the stage's base path /prod; it must lie outside it, so it hides none of the API's resources",
    ],
    ['healthz', 'healthPath: "healthz" (an absolute path such as /healthz, without query or fragment)'],
    [
      '/healthz?x=1',
      'healthPath: "/healthz?x=1" (an absolute path such as /healthz, without query or fragment)',
    ],
  ])('refuses healthPath %s at startup', (healthPath, message) => {
    expect(() =>
      apiGateway({
        stageName: 'prod',
        healthPath,
        functions: { fast: async () => ({ statusCode: 200, body: '' }) },
        resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'fast' } } } },
      }),
    ).toThrow(new ConfigError(message));
  });

  it('refuses any healthPath when the API is served at the root', () => {
    expect(() =>
      apiGateway({
        basePath: '',
        healthPath: '/healthz',
        functions: { fast: async () => ({ statusCode: 200, body: '' }) },
        resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'fast' } } } },
      }),
    ).toThrow(
      new ConfigError(
        "healthPath: /healthz is under the stage's base path '' (the root); it must lie outside it, so it hides none of the API's resources",
      ),
    );
  });

  it('leaves a POST to the health path to the host', async () => {
    const { gateway } = slowApi();
    const res = await request(http.createServer((req, res) => gateway(req, res))).post('/healthz');
    expect(res.status).toBe(404);
  });
});
