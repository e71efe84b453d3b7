import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { type ApiGatewayMiddleware, type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { startRedisServer, type TestRedis } from '../support/redis-server.js';

const LIMIT_EXCEEDED = '{"message":"Limit Exceeded"}';
const INTERNAL = '{"message": "Internal server error"}';
const NOON = Date.UTC(2024, 0, 3, 12);

// One redis-server for the file; the outage test stops and restarts it.
let redis: TestRedis;
let prefixes = 0;
const freshPrefix = () => `usage-plans:${process.pid}:${++prefixes}:`;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

function quotaApi(limit: number, extra: Partial<ApiGatewayOptions> = {}): ApiGatewayOptions {
  return {
    clock: () => NOON,
    store: { redis: redis.url, keyPrefix: freshPrefix() },
    functions: { echoEvent },
    apiKeys: ['key-a'],
    usagePlans: [{ name: 'p', apiKeys: ['key-a'], quota: { limit, period: 'DAY' } }],
    resources: { '/pets': { GET: { apiKeyRequired: true, ...proxy('echoEvent') } } },
    ...extra,
  };
}

describe('usage plans under concurrent requests (Redis store)', () => {
  let gateway: ApiGatewayMiddleware;
  let server: Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await gateway.close();
  });

  it('lets exactly 50 of 200 simultaneous requests through a quota of 50', async () => {
    gateway = apiGateway({ logger: silentLogger(), ...quotaApi(50) });
    server = createServer(gateway);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => request(url).get('/prod/pets').set('x-api-key', 'key-a')),
    );
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 429 && r.text === LIMIT_EXCEEDED);
    expect([ok.length, refused.length]).toEqual([50, 150]);
  });
});

describe('usage plans across gateway instances sharing one Redis', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(undefined);
            child.once('exit', resolve);
            child.send('close');
          }),
      ),
    );
  });

  /** A gateway process of its own on the test's Redis; resolves with its URL once it listens. */
  function startInstance(keyPrefix: string, limit: number): Promise<string> {
    const child = fork(
      join(__dirname, 'fixtures', 'gateway-instance.js'),
      [redis.url, keyPrefix, String(limit), String(NOON)],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.push(child);
    return new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(`http://127.0.0.1:${(message as { port: number }).port}`));
      child.once('exit', (code) => reject(new Error(`gateway instance exited (${code}) before listening`)));
    });
  }

  // Each instance transpiles the sources on start (about 2 s alone, longer beside other suites).
  const STARTUP_TIMEOUT_MS = 30_000;

  it(
    'lets 5 of 10 requests alternating between two processes through a quota of 5, from both',
    async () => {
      const keyPrefix = freshPrefix();
      const urls = await Promise.all([startInstance(keyPrefix, 5), startInstance(keyPrefix, 5)]);
      const servedBy = new Map<string, number>();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await request(urls[i % 2])
          .get('/prod/pets')
          .set('x-api-key', 'key-a');
        statuses.push(res.status);
        if (res.status === 200) servedBy.set(res.text, (servedBy.get(res.text) ?? 0) + 1);
        else expect(res.text).toBe(LIMIT_EXCEEDED);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
      const pids = children.map((child) => String(child.pid));
      expect(Object.fromEntries(servedBy)).toEqual({ [pids[0]]: 3, [pids[1]]: 2 });
    },
    STARTUP_TIMEOUT_MS,
  );
});

// Last in the file: it stops the shared redis-server, and leaves it running again.
describe.each(EXPRESS_VERSIONS)('a usage store outage (Express %s)', (_v, express) => {
  it('answers 500 and logs why while Redis is down, never 200, and lets requests in again once it is back', async () => {
    const logger = silentLogger();
    const gateway = apiGateway({ ...quotaApi(1000), logger });
    const app = express();
    app.use(gateway);
    let down = false;
    try {
      const get = () => request(app).get('/prod/pets').set('x-api-key', 'key-a');
      expect((await get()).status).toBe(200);

      await redis.stop();
      down = true;
      for (let i = 0; i < 3; i++) {
        const res = await get();
        expect(res.status).toBe(500);
        expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
        expect(res.text).toBe(INTERNAL);
      }
      const errors = logger.calls.filter((c) => c.level === 'error').map((c) => String(c.args[0]));
      expect(errors).toHaveLength(3);
      for (const message of errors) {
        expect(message).toMatch(
          /^apigw-express: usage store: Redis is unavailable \(.+\).*; request refused$/,
        );
      }

      await redis.start();
      down = false;
      // ioredis reconnects in the background, within a second: until then, still refused.
      const deadline = Date.now() + 5000;
      let res = await get();
      while (res.status !== 200 && Date.now() < deadline) {
        expect(res.status).toBe(500);
        await new Promise((resolve) => setTimeout(resolve, 50));
        res = await get();
      }
      expect(res.status).toBe(200);
      expect((await get()).status).toBe(200);
    } finally {
      if (down) await redis.start();
      await gateway.close();
    }
  });
});
