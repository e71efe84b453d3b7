import request from 'supertest';
import { allowedOrigin, type CompiledCors, compileCors } from '../../src/http-api/cors.js';
import { ConfigError, type HttpApiOptions, httpApi } from '../../src/index.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

function api(cors: HttpApiOptions['cors'], handler?: (...a: never[]) => unknown): HttpApiOptions {
  return {
    functions: {
      fn: {
        handler: (handler ??
          (async () => ({
            statusCode: 200,
            headers: {
              'access-control-allow-origin': 'https://evil.example',
              'x-own': 'yes',
              'content-type': 'text/plain',
            },
            body: 'ok',
          }))) as never,
      },
    },
    routes: { 'GET /items': { integration: { function: 'fn' } } },
    cors,
  };
}

const CONFIG = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['x-own'],
  maxAge: 600,
  allowCredentials: true,
};

describe.each(HOSTS)('HTTP API CORS, %s', (_name, host) => {
  test('a preflight is answered by API Gateway itself, without an OPTIONS route', async () => {
    const res = await request(host(api(CONFIG)))
      .options('/items')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['apigw-requestid']).toBeDefined();
  });

  test('a preflight for any path, even one with no route', async () => {
    const res = await request(host(api({ allowOrigins: ['*'] })))
      .options('/nowhere')
      .set('origin', 'https://x.example')
      .set('access-control-request-method', 'GET');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test('a preflight from an origin not allowed gets no CORS headers', async () => {
    const res = await request(host(api(CONFIG)))
      .options('/items')
      .set('origin', 'https://other.example')
      .set('access-control-request-method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  test('a preflight asking for a method not allowed gets no CORS headers', async () => {
    const res = await request(host(api(CONFIG)))
      .options('/items')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'DELETE');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('OPTIONS without access-control-request-method is no preflight: routed (404 here)', async () => {
    const res = await request(host(api(CONFIG)))
      .options('/items')
      .set('origin', 'https://app.example.com');
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"message":"Not Found"}');
  });

  test("an integration's answer gets the configured headers; its own CORS headers are ignored", async () => {
    const res = await request(host(api(CONFIG)))
      .get('/items')
      .set('origin', 'https://app.example.com');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-expose-headers']).toBe('x-own');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['x-own']).toBe('yes');
  });

  test("no origin header: no CORS headers, and the integration's are still ignored", async () => {
    const res = await request(host(api(CONFIG))).get('/items');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('origin * answers *', async () => {
    const res = await request(host(api({ allowOrigins: ['*'] })))
      .get('/items')
      .set('origin', 'https://a.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test("without a CORS configuration the integration's own CORS headers pass through", async () => {
    const res = await request(host(api(undefined)))
      .get('/items')
      .set('origin', 'https://app.example.com');
    expect(res.headers['access-control-allow-origin']).toBe('https://evil.example');
  });

  test('without a CORS configuration a preflight is routed like any OPTIONS request', async () => {
    const res = await request(host(api(undefined)))
      .options('/items')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'GET');
    expect(res.status).toBe(404);
  });
});

describe('allowed origins', () => {
  test('https://* allows any https origin, not http', () => {
    const cors = compileCors({ allowOrigins: ['https://*'] }) as CompiledCors;
    expect(allowedOrigin(cors, 'https://a.example')).toBe('https://a.example');
    expect(allowedOrigin(cors, 'http://a.example')).toBeUndefined();
    expect(allowedOrigin(cors, 'https://')).toBeUndefined();
  });
  test('exact origins compare case-insensitively and echo the request', () => {
    const cors = compileCors({ allowOrigins: ['https://App.example.com'] }) as CompiledCors;
    expect(allowedOrigin(cors, 'https://app.EXAMPLE.com')).toBe('https://app.EXAMPLE.com');
    expect(allowedOrigin(cors, 'https://app.example.com.evil')).toBeUndefined();
  });
});

describe('CORS configuration errors', () => {
  const build = (cors: unknown) => () => httpApi(api(cors as HttpApiOptions['cors']));
  test('credentials with origin * is refused as AWS refuses it', () => {
    expect(build({ allowOrigins: ['*'], allowCredentials: true })).toThrow(ConfigError);
    expect(build({ allowOrigins: ['*'], allowCredentials: true })).toThrow(/cors\.allowCredentials/);
  });
  test('bad fields are named', () => {
    expect(build({ allowOrigins: 'x' })).toThrow(/cors\.allowOrigins/);
    expect(build({ maxAge: 90000 })).toThrow(/cors\.maxAge/);
    expect(build({ allowOrigin: ['*'] })).toThrow(/unknown option "allowOrigin"/);
  });
});
