import path from 'node:path';
import request from 'supertest';
import { httpApi } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

const CODE = path.join(__dirname, 'fixtures');

describe.each(HOSTS)('functions shared with REST APIs, %s', (_name, host) => {
  test('a function by Handler string under codeUri', async () => {
    const res = await request(
      host({
        functions: { hello: { handler: 'hello.handler', codeUri: CODE } },
        routes: { 'GET /hello': { integration: { function: 'hello' } } },
      }),
    ).get('/hello');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ routeKey: 'GET /hello', pid: process.pid });
  });

  test('a module that is not there: said at startup, each call 500', async () => {
    const logger = silentLogger();
    const app = host({
      logger,
      functions: { gone: { handler: 'missing.handler', codeUri: CODE } },
      routes: { 'GET /gone': { integration: { function: 'gone' } } },
    });
    const warning = logger.calls.find((c) => c.level === 'warn')?.args.join(' ');
    expect(warning).toContain('functions["gone"] (Handler missing.handler');
    expect(warning).toContain('each call fails with 500');
    const res = await request(app).get('/gone');
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message":"Internal Server Error"}');
  });
});

test('an isolated function runs in a process of its own', async () => {
  const [, host] = HOSTS[0];
  const res = await request(
    host({
      functions: { hello: { handler: 'hello.handler', codeUri: CODE, isolation: 'process' } },
      routes: { 'GET /hello': { integration: { function: 'hello' } } },
    }),
  ).get('/hello');
  expect(res.status).toBe(200);
  expect(res.body.routeKey).toBe('GET /hello');
  expect(res.body.pid).not.toBe(process.pid);
});

describe.each(EXPRESS_VERSIONS)(
  'a body parser mounted before the HTTP API, Express %s',
  (_version, factory) => {
    test('the handler still gets the body (re-serialised from the parsed value)', async () => {
      const app = factory();
      app.use(factory.json());
      const api = httpApi({
        logger: silentLogger(),
        functions: { echo: async (event: { body: string; isBase64Encoded: boolean }) => event },
        routes: { 'POST /items': { integration: { function: 'echo' } } },
      });
      app.use(api);
      const res = await request(app).post('/items').send({ name: 'widget' });
      await api.close();
      expect(res.status).toBe(200);
      expect(res.body.body).toBe('{"name":"widget"}');
      expect(res.body.isBase64Encoded).toBe(false);
    });
  },
);
