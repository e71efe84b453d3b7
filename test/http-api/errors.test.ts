import request from 'supertest';
import type { HttpApiOptions } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

const INTERNAL = '{"message":"Internal Server Error"}';

function route(
  handler: (...args: never[]) => unknown,
  integration: object = {},
  fn: object = {},
): HttpApiOptions {
  return {
    functions: { fn: { handler: handler as never, ...fn } },
    routes: { 'POST /r': { integration: { function: 'fn', ...integration } } },
  };
}

describe.each(HOSTS)('errors the HTTP API answers itself, %s', (_name, host) => {
  // serverless-offline answers this 200 with the error object as body (its inference runs first).
  test('a thrown error in a 2.0 handler: 500, AWS bytes', async () => {
    const res = await request(
      host(
        route(async () => {
          throw new Error('boom');
        }),
      ),
    ).post('/r');
    expect(res.status).toBe(500);
    expect(res.text).toBe(INTERNAL);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  test('the failure is logged with the function and its error', async () => {
    const logger = silentLogger();
    await request(
      host({
        ...route(async () => {
          throw new TypeError('bad input');
        }),
        logger,
      }),
    ).post('/r');
    const line = logger.calls.find((c) => c.level === 'error')?.args.join(' ');
    expect(line).toContain('Lambda function fn failed:');
    expect(line).toContain('"errorType":"TypeError","errorMessage":"bad input"');
  });

  test('callback(error) in a 1.0 handler: 500, not REST 502', async () => {
    const res = await request(
      host(
        route((_e: never, _c: never, cb: (e: Error) => void) => cb(new Error('no')), {
          payloadFormatVersion: '1.0',
        }),
      ),
    ).post('/r');
    expect(res.status).toBe(500);
    expect(res.text).toBe(INTERNAL);
  });

  test('integration timeout: 503', async () => {
    const res = await request(host(route(() => new Promise(() => {}), { timeoutInMillis: 50 }))).post('/r');
    expect(res.status).toBe(503);
    expect(res.text).toBe('{"message":"Service Unavailable"}');
  });

  test("the function's own timeout before the integration's: 500", async () => {
    const res = await request(host(route(() => new Promise(() => {}), {}, { timeout: 0.05 }))).post('/r');
    expect(res.status).toBe(500);
    expect(res.text).toBe(INTERNAL);
  });

  test.each([
    ['GET', '/r'],
    ['POST', '/nothing'],
    ['POST', '/r/'],
  ])('no route for %s %s: 404 {"message":"Not Found"}', async (method, path) => {
    const called: unknown[] = [];
    const res = await request(host(route(async (e: never) => called.push(e))))[
      method.toLowerCase() as 'get' | 'post'
    ](path);
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"message":"Not Found"}');
    expect(called).toEqual([]);
  });
});
