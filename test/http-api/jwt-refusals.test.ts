import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { compileJwtAuthorizer, decideJwt } from '../../src/http-api/auth/jwt-authorizer.js';
import type { HttpApiOptions } from '../../src/index.js';
import { httpApi } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const SECONDS = Math.floor(NOW / 1000);
const clock = () => NOW;
const pool = createTestUserPool({ now: clock });

const api = (audience = [pool.clientId], issuer = pool.issuer): HttpApiOptions => ({
  clock,
  functions: { echo },
  authorizers: { users: { type: 'JWT', issuer, audience, jwks: pool.jwks } },
  routes: {
    'GET /me': { integration: { function: 'echo' }, authorizer: 'users' },
    'GET /admin': { integration: { function: 'echo' }, authorizer: 'users', authorizationScopes: ['admin'] },
  },
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (more: Record<string, unknown> = {}) => ({
  iss: pool.issuer,
  aud: pool.clientId,
  exp: SECONDS + 60,
  ...more,
});

describe.each(HOSTS)('JWT refusal paths, %s', (_name, host) => {
  const app = host(api());
  // An array is sent as that many Authorization headers.
  const status = async (token: string | string[], route = '/me') =>
    (
      await request(app)
        .get(route)
        .set('Authorization', token as string)
    ).status;

  test('HS256 signed with the RSA public key as the secret, and a token without kid → 401', async () => {
    const secret = JSON.stringify(pool.jwks.keys[0]);
    const input = `${b64({ alg: 'HS256', kid: pool.kid })}.${b64(claims())}`;
    const hs = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(await status(hs)).toBe(401);
    expect(await status(pool.sign(claims(), { kid: undefined }))).toBe(401);
  });

  test('keys the token names itself (jwk, jku, x5u headers) are never used', async () => {
    const attacker = createTestUserPool({ now: clock });
    for (const header of [
      { kid: pool.kid, jwk: attacker.jwks.keys[0] },
      { kid: attacker.kid, jku: 'https://attacker.example.com/jwks.json' },
      { kid: pool.kid, x5u: 'https://attacker.example.com/cert.pem' },
    ])
      expect(await status(attacker.sign(claims(), header))).toBe(401);
  });

  test('the token in two Authorization headers, or after "Bearer" alone, is refused', async () => {
    const token = pool.idToken();
    expect(await status([token, token])).toBe(401);
    expect(await status('Bearer')).toBe(401);
    expect(await status('Bearer ')).toBe(401);
  });

  test('iat or nbf ahead of the clock: within 60 s accepted, beyond refused; exp has no leeway', async () => {
    expect(await status(pool.sign(claims({ iat: SECONDS + 60 })))).toBe(200);
    expect(await status(pool.sign(claims({ iat: SECONDS + 61 })))).toBe(401);
    expect(await status(pool.sign(claims({ nbf: SECONDS + 61 })))).toBe(401);
    expect(await status(pool.sign(claims({ exp: SECONDS + 1 })))).toBe(200);
    expect(await status(pool.sign(claims({ exp: SECONDS })))).toBe(401);
    expect(await status(pool.sign(claims({ exp: String(SECONDS + 60) })))).toBe(401);
  });

  test('aud as an array counts any member; an empty aud does not fall back to client_id', async () => {
    expect(await status(pool.sign(claims({ aud: ['other', pool.clientId] })))).toBe(200);
    expect(await status(pool.sign(claims({ aud: [], client_id: pool.clientId })))).toBe(401);
    expect(await status(pool.sign(claims({ aud: null, client_id: pool.clientId })))).toBe(401);
  });

  test('the issuer compares exactly: a trailing slash on either side refuses', async () => {
    expect(await status(pool.sign(claims({ iss: `${pool.issuer}/` })))).toBe(401);
    const slashed = host(api([pool.clientId], `${pool.issuer}/`));
    expect((await request(slashed).get('/me').set('Authorization', pool.idToken())).status).toBe(401);
  });

  test('scopes: `scope` splits on spaces, `scp` is a list; a partial name is no match', async () => {
    expect(await status(pool.sign(claims({ scope: 'read admin' })), '/admin')).toBe(200);
    expect(await status(pool.sign(claims({ scp: ['admin'] })), '/admin')).toBe(200);
    expect(await status(pool.sign(claims({ scope: 'administrator' })), '/admin')).toBe(403);
    expect(await status(pool.sign(claims({ scp: 'read,admin' })), '/admin')).toBe(403);
  });
});

describe('random token mutations never authorize (property)', () => {
  const auth = compileJwtAuthorizer(
    'users',
    { type: 'JWT', issuer: pool.issuer, audience: [pool.clientId], jwks: pool.jwks },
    clock,
    silentLogger(),
  );
  const token = pool.sign(claims({ scope: 'admin' }));
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= ';

  test('the untouched token is allowed (the property below is not vacuous)', async () => {
    expect((await decideJwt(auth, token, ['admin'], NOW)).kind).toBe('allow');
    expect((await decideJwt(auth, `Bearer ${token}`, ['admin'], NOW)).kind).toBe('allow');
  });

  test('any change of characters, insertion or deletion is refused', async () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set'), at: fc.nat(), char: fc.constantFrom(...ALPHABET) }),
      fc.record({ kind: fc.constant('insert'), at: fc.nat(), char: fc.constantFrom(...ALPHABET) }),
      fc.record({ kind: fc.constant('delete'), at: fc.nat(), char: fc.constant('') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        let mutated = token;
        for (const { kind, at, char } of edits) {
          const i = at % (mutated.length + 1);
          if (kind === 'set') mutated = mutated.slice(0, i) + char + mutated.slice(i + 1);
          else if (kind === 'insert') mutated = mutated.slice(0, i) + char + mutated.slice(i);
          else mutated = mutated.slice(0, i) + mutated.slice(i + 1);
        }
        fc.pre(mutated !== token);
        expect((await decideJwt(auth, mutated, ['admin'], NOW)).kind).not.toBe('allow');
      }),
      { numRuns: 400 },
    );
  });

  test('re-encoding the payload with other claims, kept signature, is refused', async () => {
    const [header, , signature] = token.split('.');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          aud: fc.constantFrom(pool.clientId, 'someone-else'),
          exp: fc.integer({ min: SECONDS - 10, max: SECONDS + 10_000 }),
          scope: fc.constantFrom('admin', 'read admin', ''),
          sub: fc.string(),
        }),
        async (payload) => {
          const forged = `${header}.${b64({ iss: pool.issuer, ...payload })}.${signature}`;
          expect((await decideJwt(auth, forged, ['admin'], NOW)).kind).not.toBe('allow');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('OpenID discovery naming keys that are no URL', () => {
  let server: http.Server;
  let base = '';
  const dir = mkdtempSync(path.join(tmpdir(), 'jwks-'));
  const file = path.join(dir, 'keys.json');
  writeFileSync(file, JSON.stringify(pool.jwks));
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: `${base}/pool`, jwks_uri: file }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a jwks_uri that is a local file path refuses the token (never read as keys)', async () => {
    const mw = httpApi({
      logger: silentLogger(),
      clock,
      functions: { echo },
      authorizers: { idp: { type: 'JWT', issuer: `${base}/pool`, audience: [pool.clientId] } },
      routes: { 'GET /me': { integration: { function: 'echo' }, authorizer: 'idp' } },
    });
    const res = await request((req: http.IncomingMessage, r: http.ServerResponse) => mw(req, r))
      .get('/me')
      .set('Authorization', pool.idToken({ iss: `${base}/pool` }));
    expect(res.status).toBe(401);
    await mw.close();
  });
});

describe('identity sources named like Object.prototype members', () => {
  const [, host] = HOSTS[HOSTS.length - 1];
  test('a query-string source "constructor" absent from the request is a 401, present it is read', async () => {
    const app = host({
      ...api(),
      authorizers: {
        users: {
          type: 'JWT',
          identitySource: '$request.querystring.constructor',
          issuer: pool.issuer,
          audience: [pool.clientId],
          jwks: pool.jwks,
        },
        lam: {
          type: 'REQUEST',
          function: 'yes',
          authorizerPayloadFormatVersion: '2.0',
          enableSimpleResponses: true,
          identitySource: ['$request.querystring.toString'],
        },
      },
      functions: { echo, yes: async () => ({ isAuthorized: true }) },
      routes: {
        'GET /me': { integration: { function: 'echo' }, authorizer: 'users' },
        'GET /lam': { integration: { function: 'echo' }, authorizer: 'lam' },
      },
    });
    expect((await request(app).get('/me?x=1')).status).toBe(401);
    expect((await request(app).get('/me').query({ constructor: pool.idToken() })).status).toBe(200);
    expect((await request(app).get('/lam?x=1')).status).toBe(401);
    expect((await request(app).get('/lam?toString=a')).status).toBe(200);
  });
});

describe('a key server slower than API Gateway waits (D-limits: 1500 ms)', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    // Accepts and never answers.
    server = http.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a JWKS that does not answer refuses the token after 1.5 s, not 10 s', async () => {
    const mw = httpApi({
      logger: silentLogger(),
      clock,
      functions: { echo },
      authorizers: {
        users: { type: 'JWT', issuer: pool.issuer, audience: [pool.clientId], jwks: `${base}/keys` },
      },
      routes: { 'GET /me': { integration: { function: 'echo' }, authorizer: 'users' } },
    });
    const started = Date.now();
    const res = await request((req: http.IncomingMessage, r: http.ServerResponse) => mw(req, r))
      .get('/me')
      .set('Authorization', pool.idToken());
    expect(res.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(4_000);
    await mw.close();
  });
});

describe('JWT identity source config', () => {
  test.each([
    [['$request.header.Authorization', '$request.header.X-Other']],
    ['$request.header.Authorization,$request.header.X-Other'],
    [7],
  ])('%j is refused at startup, naming the field', (identitySource) => {
    expect(() =>
      httpApi({
        ...api(),
        logger: silentLogger(),
        authorizers: {
          users: {
            type: 'JWT',
            issuer: pool.issuer,
            audience: [pool.clientId],
            jwks: pool.jwks,
            identitySource: identitySource as string,
          },
        },
      }),
    ).toThrow(/authorizers\["users"\]\.identitySource: one "\$request\.header\.NAME"/);
  });
});
