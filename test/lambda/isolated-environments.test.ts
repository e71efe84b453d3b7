import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { type ApiGatewayMiddleware, type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const FIXTURES = path.join(__dirname, 'fixtures', 'isolated');
const A = path.join(FIXTURES, 'a');
const B = path.join(FIXTURES, 'b');

function route(fn: string) {
  return { GET: { integration: { type: 'AWS_PROXY' as const, function: fn } } };
}

const options: ApiGatewayOptions = {
  isolation: 'process',
  logger: silentLogger(),
  functions: {
    envA: { handler: 'app.env', codeUri: A, environment: { ONLY_A: 'a' } },
    envB: { handler: 'app.env', codeUri: B, environment: { ONLY_B: 'b' } },
    spin: { handler: 'app.spin', codeUri: A },
    pid: { handler: 'app.pid', codeUri: A, memorySize: 256 },
    leak: { handler: 'app.leak', codeUri: A, memorySize: 256, timeout: 20 },
    later: { handler: 'app.later', codeUri: A, timeout: 0.3 },
    inline: async () => ({ statusCode: 200, body: JSON.stringify({ own: process.env.ONLY_A ?? null }) }),
  },
  resources: {
    '/a': route('envA'),
    '/b': route('envB'),
    '/spin': route('spin'),
    '/pid': route('pid'),
    '/leak': route('leak'),
    '/later': route('later'),
    '/inline': route('inline'),
  },
};

let gateway: ApiGatewayMiddleware;
let app: express.Express;
let write: jest.SpyInstance;
const previous = { HOST_ONLY: process.env.HOST_ONLY, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID };

beforeAll(() => {
  // The functions' own log (START/END/REPORT) goes to stdout without a log of the user's: not here.
  write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.env.HOST_ONLY = 'the gateway process only';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  gateway = apiGateway(options);
  app = express();
  app.use(gateway);
});

afterAll(async () => {
  await gateway.close();
  write.mockRestore();
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('isolation: process', () => {
  test('each function sees its own environment variables and its code root as working directory', async () => {
    const [a, b] = await Promise.all([request(app).get('/prod/a'), request(app).get('/prod/b')]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toMatchObject({
      own: 'a',
      other: null,
      // The gateway's own variables stay out; the caller's credentials pass through.
      host: null,
      key: 'AKIDEXAMPLE',
      name: 'envA',
      root: A,
      handler: 'app.env',
      tz: ':UTC',
      lang: 'en_US.UTF-8',
      cwd: A,
      file: 'file of a',
    });
    expect(b.body).toMatchObject({ own: 'b', other: null, cwd: B, file: 'file of b' });
    // The environment's own log stream, in its variables and its context alike.
    expect(a.body.stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a.body.contextStream).toBe(a.body.stream);
    expect(a.body.pid).not.toBe(process.pid);
    expect(a.body.pid).not.toBe(b.body.pid);
    // Nothing of an isolated function's environment reaches the gateway's process.
    expect(process.env.ONLY_A).toBeUndefined();
    expect((await request(app).get('/prod/inline')).body).toEqual({ own: null });
  });

  test.each(EXPRESS_VERSIONS)(
    'a warm environment serves the next call in Express %s: the module is loaded once',
    async (_major, factory) => {
      const host = factory();
      host.use(gateway);
      const first = await request(host).get('/prod/a');
      const second = await request(host).get('/prod/a');
      expect(first.body.file).toBe('file of a');
      expect(second.body.pid).toBe(first.body.pid);
    },
  );

  test('a CPU-bound handler does not stall another route', async () => {
    await request(app).get('/prod/pid'); // warm, so only the spin is cold
    const started = Date.now();
    const spinning = request(app)
      .get('/prod/spin?ms=1500')
      .then((res) => ({ res, at: Date.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const other = await request(app).get('/prod/pid');
    const otherAt = Date.now() - started;
    expect(other.status).toBe(200);
    const spin = await spinning;
    expect(spin.res.status).toBe(200);
    expect(otherAt).toBeLessThan(spin.at);
  });

  test('a function over its memorySize fails with Runtime.OutOfMemory, is recycled, and touches no other', async () => {
    const other = await request(app).get('/prod/pid');
    const logger = options.logger as ReturnType<typeof silentLogger>;
    logger.calls.length = 0;
    const res = await request(app).get('/prod/leak');
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    const line = logger.calls.find((c) => String(c.args[0]).includes('leak failed'));
    expect(JSON.parse(String(line?.args[1]))).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/,
      ),
    });
    // The other function's environment is the same one, still warm.
    const again = await request(app).get('/prod/pid');
    expect(again.body.pid).toBe(other.body.pid);
  });

  test('a timeout ends the environment: a side effect scheduled after the deadline never happens', async () => {
    const file = path.join(os.tmpdir(), `apigw-isolated-${process.pid}-${Date.now()}.txt`);
    const first = await request(app).get(`/prod/later?file=${encodeURIComponent(file)}`);
    expect(first.status).toBe(502);
    // Past the write's moment (700 ms after the call began).
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(fs.existsSync(file)).toBe(false);
  });
});
