import path from 'node:path';
import request from 'supertest';
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
