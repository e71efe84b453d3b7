import request from 'supertest';
import type { HttpApiOptions } from '../../src/index.js';
import { closeApis, HOSTS, type Host } from './hosts.js';

afterAll(closeApis);

function returning(result: unknown, payloadFormatVersion: '2.0' | '1.0' = '2.0'): HttpApiOptions {
  return {
    functions: { fn: async () => result },
    routes: { 'GET /r': { integration: { function: 'fn', payloadFormatVersion } } },
  };
}

const get = (host: Host, options: HttpApiOptions) =>
  request(host(options))
    .get('/r')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe.each(HOSTS)('payload format 2.0 results, %s', (_name, host) => {
  // D-lambda: valid JSON without statusCode → 200, application/json, the result is the body.
  test.each([
    ['Hello from Lambda!', 'Hello from Lambda!'],
    [{ message: 'Hello from Lambda!' }, '{"message":"Hello from Lambda!"}'],
    [['hello', 3, true], '["hello",3,true]'],
    [3.1, '3.1'],
    [true, 'true'],
    [{ body: 'not a proxy result' }, '{"body":"not a proxy result"}'],
  ])('%j without statusCode is the body', async (result, body) => {
    const res = await get(host, returning(result));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.toString()).toBe(body);
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  test('statusCode, headers, cookies as one set-cookie each, body', async () => {
    const res = await get(
      host,
      returning({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Count': 3 },
        cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
        body: 'created',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-count']).toBe('3');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.body.toString()).toBe('created');
  });

  test('isBase64Encoded: the body is decoded, whatever the client accepts', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const res = await get(
      host,
      returning({
        statusCode: 200,
        headers: { 'content-type': 'image/png' },
        isBase64Encoded: true,
        body: bytes.toString('base64'),
      }),
    );
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body, bytes)).toBe(0);
  });

  test.each([
    ['a statusCode that is not a status', { statusCode: 'teapot', body: '' }],
    ['a 1xx statusCode', { statusCode: 101, body: '' }],
    ['a result JSON cannot hold', { big: 1n }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['cookies that are not a list', { statusCode: 200, cookies: 'a=1' }],
    ['a body that is not base64', { statusCode: 200, isBase64Encoded: true, body: '%%%' }],
  ])('%s: 500 {"message":"Internal Server Error"}', async (_what, result) => {
    const res = await get(host, returning(result));
    expect(res.status).toBe(500);
    expect(res.body.toString()).toBe('{"message":"Internal Server Error"}');
  });
});

describe.each(HOSTS)('payload format 1.0 results, %s', (_name, host) => {
  test('the REST contract: statusCode, headers, multiValueHeaders, base64 decoded', async () => {
    const res = await get(
      host,
      returning(
        {
          statusCode: 202,
          headers: { 'content-type': 'application/octet-stream' },
          multiValueHeaders: { 'X-Many': ['1', '2'] },
          isBase64Encoded: true,
          body: Buffer.from('hi').toString('base64'),
        },
        '1.0',
      ),
    );
    expect(res.status).toBe(202);
    expect(res.headers['x-many']).toBe('1, 2');
    expect(res.body.toString()).toBe('hi');
  });

  test('no inference: a bare string is not a result, 500', async () => {
    const res = await get(host, returning('Hello from Lambda!', '1.0'));
    expect(res.status).toBe(500);
    expect(res.body.toString()).toBe('{"message":"Internal Server Error"}');
  });
});
