import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { audienceAllows, scopesAllow, tokenScopes } from '../../src/http-api/auth/jwt-authorizer.js';
import type { HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const clock = () => NOW;
const pool = createTestUserPool({ now: clock });
const other = createTestUserPool({ now: clock });

function options(overrides: Partial<HttpApiOptions> = {}): HttpApiOptions {
  return {
    clock,
    functions: { echo },
    authorizers: {
      users: {
        type: 'JWT',
        identitySource: '$request.header.Authorization',
        issuer: pool.issuer,
        audience: [pool.clientId],
        jwks: pool.jwks,
      },
    },
    routes: {
      'GET /open': { integration: { function: 'echo' } },
      'GET /me': { integration: { function: 'echo' }, authorizer: 'users' },
      'GET /v1': { integration: { function: 'echo', payloadFormatVersion: '1.0' }, authorizer: 'users' },
      'GET /admin': {
        integration: { function: 'echo' },
        authorizer: 'users',
        authorizationScopes: ['admin', 'root'],
      },
    },
    ...overrides,
  };
}

const UNAUTHORIZED = '{"message":"Unauthorized"}';
const invalid = (description: string) =>
  `Bearer scope="" error="invalid_token" error_description="${description}"`;

describe.each(HOSTS)('JWT authorizers, %s', (_name, host) => {
  const app = host(options());

  test('a valid token (raw or Bearer) reaches the function with authorizer.jwt { claims, scopes }', async () => {
    for (const value of [pool.idToken(), `Bearer ${pool.idToken()}`]) {
      const res = await request(app).get('/me').set('Authorization', value);
      expect(res.status).toBe(200);
      const { jwt } = JSON.parse(res.text).requestContext.authorizer;
      expect(jwt.claims.iss).toBe(pool.issuer);
      expect(jwt.claims.aud).toBe(pool.clientId);
      expect(jwt.claims.exp).toBe(String(Math.floor(NOW / 1000) + 3600));
      expect(jwt.scopes).toBeNull();
    }
  });

  test('an access token: client_id counts when there is no aud; a scope of the route lets it through', async () => {
    const res = await request(app)
      .get('/admin')
      .set('Authorization', pool.accessToken({ scopes: ['read', 'root'] }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).requestContext.authorizer.jwt.scopes).toEqual(['read', 'root']);
    const scp = await request(app)
      .get('/admin')
      .set(
        'Authorization',
        pool.sign({ iss: pool.issuer, aud: pool.clientId, exp: NOW / 1000 + 60, scp: ['admin'] }),
      );
    expect(scp.status).toBe(200);
  });

  test('a route without scopes gets scopes null, the token scope left in claims (awsdocs guide #113)', async () => {
    const res = await request(app)
      .get('/me')
      .set('Authorization', pool.accessToken({ scopes: ['read'] }));
    const { jwt } = JSON.parse(res.text).requestContext.authorizer;
    expect(jwt.scopes).toBeNull();
    expect(jwt.claims.scope).toBe('read');
  });

  test('payload 1.0 gets authorizer { claims, scopes }', async () => {
    const res = await request(app).get('/v1').set('Authorization', pool.idToken());
    const { authorizer } = JSON.parse(res.text).requestContext;
    expect(authorizer.claims.iss).toBe(pool.issuer);
    expect(authorizer.scopes).toBeNull();
  });

  test('a route without an authorizer has no requestContext.authorizer', async () => {
    const res = await request(app).get('/open');
    expect(JSON.parse(res.text).requestContext.authorizer).toBeUndefined();
  });

  test('no token → 401 with www-authenticate: Bearer', async () => {
    for (const req of [request(app).get('/me'), request(app).get('/me').set('Authorization', '')]) {
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.text).toBe(UNAUTHORIZED);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['apigw-requestid']).toBeDefined();
    }
  });

  const exp = Math.floor(NOW / 1000) + 60;
  test.each([
    ['not a JWT', () => 'Bearer not-a-token', 'token contains an invalid number of segments'],
    [
      'another pool’s key',
      () => other.idToken({ iss: pool.issuer, aud: pool.clientId }),
      'signature is invalid',
    ],
    [
      'an unknown kid',
      () => pool.sign({ iss: pool.issuer, aud: pool.clientId, exp }, { kid: 'nope' }),
      'signature is invalid',
    ],
    [
      'alg none',
      () => pool.sign({ iss: pool.issuer, aud: pool.clientId, exp }, { alg: 'none' }),
      'signature is invalid',
    ],
    ['another issuer', () => pool.idToken({ iss: other.issuer }), 'issuer does not match'],
    [
      'another audience',
      () => pool.idToken({ aud: 'someone-else' }),
      'the token does not have a valid audience',
    ],
    [
      'aud wins over a good client_id',
      () => pool.idToken({ aud: 'x', client_id: pool.clientId }),
      'the token does not have a valid audience',
    ],
    [
      'neither aud nor client_id',
      () => pool.idToken({ aud: undefined }),
      'the token does not have a valid audience',
    ],
    ['expired', () => pool.idToken({ exp: Math.floor(NOW / 1000) }), 'token is expired'],
    ['no exp', () => pool.idToken({ exp: undefined }), 'token is expired'],
    ['not yet valid', () => pool.idToken({ nbf: Math.floor(NOW / 1000) + 3600 }), 'token is expired'],
  ])('%s → 401 invalid_token', async (_case, token, description) => {
    const res = await request(app).get('/me').set('Authorization', token());
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
    expect(res.headers['www-authenticate']).toBe(invalid(description));
  });

  test('a good token without a route scope → 403 Forbidden', async () => {
    for (const token of [pool.accessToken({ scopes: ['read'] }), pool.idToken()]) {
      const res = await request(app).get('/admin').set('Authorization', token);
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Forbidden"}');
    }
  });

  test('identity source in the query string (case-sensitive name)', async () => {
    const api = host(
      options({
        authorizers: {
          q: {
            type: 'JWT',
            identitySource: '$request.querystring.token',
            issuer: pool.issuer,
            audience: [pool.clientId],
            jwks: pool.jwks,
          },
        },
        routes: { 'GET /q': { integration: { function: 'echo' }, authorizer: 'q' } },
      }),
    );
    expect((await request(api).get('/q').query({ token: pool.idToken() })).status).toBe(200);
    expect((await request(api).get('/q').query({ Token: pool.idToken() })).status).toBe(401);
  });

  test('keys that cannot be fetched refuse (fail closed)', async () => {
    const api = host(
      options({
        authorizers: {
          u: {
            type: 'JWT',
            issuer: pool.issuer,
            audience: [pool.clientId],
            jwks: 'http://127.0.0.1:1/jwks.json',
          },
        },
        routes: { 'GET /me': { integration: { function: 'echo' }, authorizer: 'u' } },
      }),
    );
    const res = await request(api).get('/me').set('Authorization', pool.idToken());
    expect(res.status).toBe(401);
  });
});

describe("keys by OpenID discovery (D-jwt: the issuer's jwks_uri)", () => {
  const hits: string[] = [];
  let serving = true;
  let base = '';
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (!serving) {
      res.statusCode = 503;
      res.end();
    } else if (req.url === '/pool/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: `${base}/pool`, jwks_uri: `${base}/keys` }));
    } else if (req.url === '/keys') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(pool.jwks));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const discovered = () =>
    httpApi({
      logger: silentLogger(),
      clock,
      functions: { echo },
      authorizers: { idp: { type: 'JWT', issuer: `${base}/pool`, audience: [pool.clientId] } },
      routes: { 'GET /me': { integration: { function: 'echo' }, authorizer: 'idp' } },
    });

  test('discovery, then the jwks_uri: a token of the issuer passes', async () => {
    serving = true;
    hits.length = 0;
    const api = discovered();
    const res = await request((req: http.IncomingMessage, r: http.ServerResponse) => api(req, r))
      .get('/me')
      .set('Authorization', pool.idToken({ iss: `${base}/pool` }));
    expect(res.status).toBe(200);
    expect(hits).toEqual(['/pool/.well-known/openid-configuration', '/keys']);
    await api.close();
  });

  test('a discovery that fails refuses, and is not retried at once', async () => {
    serving = false;
    hits.length = 0;
    const api = discovered();
    const app = (req: http.IncomingMessage, r: http.ServerResponse) => api(req, r);
    const token = pool.idToken({ iss: `${base}/pool` });
    expect((await request(app).get('/me').set('Authorization', token)).status).toBe(401);
    serving = true;
    expect((await request(app).get('/me').set('Authorization', token)).status).toBe(401);
    expect(hits).toEqual(['/pool/.well-known/openid-configuration']);
    await api.close();
  });
});

describe('authorizer config refused at startup, naming the field', () => {
  const make = (o: Partial<HttpApiOptions>) => () => httpApi({ logger: silentLogger(), ...options(o) });
  test.each([
    [
      { authorizers: { users: { type: 'JWT', issuer: 'http://x', audience: ['a'] } } },
      /authorizers\["users"\]\.issuer: an https URL/,
    ],
    [
      { authorizers: { users: { type: 'JWT', issuer: 'http://example.com', audience: ['a'] } } },
      /authorizers\["users"\]\.issuer: an https URL \(http only on localhost\)/,
    ],
    [
      { authorizers: { users: { type: 'JWT', issuer: pool.issuer, audience: [] } } },
      /authorizers\["users"\]\.audience/,
    ],
    [
      { authorizers: { users: { type: 'OAUTH', issuer: pool.issuer, audience: ['a'] } } },
      /authorizers\["users"\]\.type/,
    ],
    [
      {
        authorizers: {
          users: { type: 'JWT', issuer: pool.issuer, audience: ['a'], identitySource: '$request.body.x' },
        },
      },
      /authorizers\["users"\]\.identitySource/,
    ],
    [
      { routes: { 'GET /x': { integration: { function: 'echo' }, authorizer: 'nobody' } } },
      /routes\["GET \/x"\]\.authorizer: "nobody" is not in authorizers/,
    ],
    [
      { routes: { 'GET /x': { integration: { function: 'echo' }, authorizationScopes: ['a'] } } },
      /routes\["GET \/x"\]\.authorizationScopes: needs a JWT authorizer/,
    ],
    [
      {
        authorizers: {
          users: { type: 'JWT', issuer: pool.issuer, audience: ['a'], jwks: '/no/such/file.json' },
        },
      },
      /authorizers\["users"\]\.jwks: cannot read/,
    ],
  ] as [Partial<HttpApiOptions>, RegExp][])('%j', (o, message) => {
    expect(make(o)).toThrow(ConfigError);
    expect(make(o)).toThrow(message);
  });
});

describe('scope and audience decisions', () => {
  test('a route scope lets a token through exactly when the token holds one of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd')),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd')),
        (route, token) => {
          const payload = { scope: token.join(' ') };
          const allowed = scopesAllow(route, tokenScopes(payload));
          expect(allowed).toBe(route.length === 0 || route.some((s) => token.includes(s)));
          // `scp` as an array decides the same.
          expect(scopesAllow(route, tokenScopes({ scp: token }))).toBe(allowed);
        },
      ),
    );
  });

  test('aud, when present, decides alone; client_id only without it', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom('x', 'y', ['x', 'z'], ['z'])),
        fc.option(fc.constantFrom('x', 'y')),
        (aud, clientId) => {
          const payload: Record<string, unknown> = {};
          if (aud !== null) payload.aud = aud;
          if (clientId !== null) payload.client_id = clientId;
          const expected = aud !== null ? ([] as string[]).concat(aud).includes('x') : clientId === 'x';
          expect(audienceAllows(payload, new Set(['x']))).toBe(expected);
        },
      ),
    );
  });
});
