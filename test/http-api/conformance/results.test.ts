import request from 'supertest';
import { asText } from '../../support/as-text.js';
import { closeApis, HOSTS } from '../hosts.js';
import { APIGW_REQUEST_ID, type Json, recorded } from './recorded.js';

/** Results (reference §2): payload 2.0's inference and fields, payload 1.0's REST contract. */

afterAll(closeApis);

const URL_RESULTS = recorded('function-url-results.json');
const URL_CASES: [string, Json][] = URL_RESULTS.cases.map((c: Json) => [c.id, c]);
const INTERNAL = '{"message":"Internal Server Error"}';

describe.each(HOSTS)('function results, %s', (_name, host) => {
  const returning = (value: unknown, payloadFormatVersion: '1.0' | '2.0' = '2.0') =>
    host({
      functions: { fn: async () => value },
      routes: { $default: { integration: { function: 'fn', payloadFormatVersion } } },
    });

  test.each(URL_CASES)(
    'localstack TestLambdaURL[%s]: the client gets the recorded status, body and length',
    async (_id, c) => {
      const res = await request(returning(c.returns))
        .get('/custom_path/extend?test_param=test_value')
        .parse(asText);
      expect(res.status).toBe(c.status);
      expect(res.body).toBe(c.body);
      expect(res.headers['content-length']).toBe(c.contentLength);
      // Inferred (no statusCode): `content-type: application/json` is D-lambda's rule.
      if (!c.contentTypeUnconfirmed) expect(res.headers['content-type']).toBe(c.contentType);
    },
  );

  test('D-lambda inference table: a string is the body as it is, an object its JSON text; 200, application/json', async () => {
    const text = await request(returning('Hello from Lambda!')).get('/').parse(asText);
    expect([text.status, text.headers['content-type'], text.body]).toEqual([
      200,
      'application/json',
      'Hello from Lambda!',
    ]);
    const object = await request(returning({ message: 'Hello from Lambda!' })).get('/');
    expect([object.status, object.headers['content-type'], object.text]).toEqual([
      200,
      'application/json',
      '{"message":"Hello from Lambda!"}',
    ]);
  });

  test('D-lambda: without statusCode an object with body and headers is itself the body', async () => {
    const result = { body: 'x', headers: { 'x-a': '1' }, isBase64Encoded: false };
    const res = await request(returning(result)).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify(result));
    expect(res.headers['x-a']).toBeUndefined();
  });

  test('D-lambda: each of cookies becomes a set-cookie header; statusCode, headers and body as given', async () => {
    const res = await request(
      returning({
        cookies: ['cookie1=a; Path=/', 'cookie2=b'],
        isBase64Encoded: false,
        statusCode: 201,
        headers: { 'content-type': 'text/plain', 'x-custom': 'y' },
        body: 'Hello from Lambda!',
      }),
    ).get('/');
    expect(res.status).toBe(201);
    expect(res.headers['set-cookie']).toEqual(['cookie1=a; Path=/', 'cookie2=b']);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-custom']).toBe('y');
    expect(res.text).toBe('Hello from Lambda!');
  });

  test('isBase64Encoded true: decoded whatever the Accept header (ministackorg/ministack#766)', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const res = await request(
      returning({
        statusCode: 200,
        headers: { 'content-type': 'image/png' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    )
      .get('/')
      .set('Accept', 'text/html')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(Buffer.compare(res.body, bytes)).toBe(0);
  });

  test('every answer carries apigw-requestid (observed `Apigw-Requestid: WSg1ihmdliAEJXA=` on a 200)', async () => {
    const res = await request(returning({ statusCode: 200, body: 'ok' }))
      .get('/')
      .parse(asText);
    expect(res.headers['apigw-requestid']).toMatch(APIGW_REQUEST_ID);
  });

  test('a thrown error is never a 200 with the error as body (serverless-offline); D-ts-lambda body', async () => {
    const app = host({
      functions: {
        fn: async () => {
          throw new Error('boom');
        },
      },
      routes: { $default: { integration: { function: 'fn' } } },
    });
    const res = await request(app).get('/');
    expect(res.status).not.toBe(200);
    expect(res.text).toBe(INTERNAL);
    expect(res.headers['apigw-requestid']).toMatch(APIGW_REQUEST_ID);
  });

  test('a result the runtime cannot serialise (a cycle) is a function error: D-ts-lambda body', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const res = await request(returning(cycle)).get('/');
    expect(res.text).toBe(INTERNAL);
  });

  test('payload 1.0: the REST contract, multiValueHeaders and all; no inference', async () => {
    const res = await request(
      returning(
        {
          statusCode: 202,
          headers: { 'x-one': 'a' },
          multiValueHeaders: { 'x-many': ['b', 'c'] },
          body: 'accepted',
          isBase64Encoded: false,
        },
        '1.0',
      ),
    )
      .get('/')
      .parse(asText);
    expect(res.status).toBe(202);
    expect(res.headers['x-one']).toBe('a');
    expect(res.headers['x-many']).toBe('b, c');
    expect(res.body).toBe('accepted');
    // A string is no 1.0 result: no inference on this format.
    const bare = await request(returning('Hello from Lambda!', '1.0')).get('/');
    expect(bare.text).toBe(INTERNAL);
  });
});
