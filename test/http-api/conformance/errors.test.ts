import request from 'supertest';
import { createTestUserPool } from '../../../src/testing/index.js';
import { asText } from '../../support/as-text.js';
import { closeApis, HOSTS } from '../hosts.js';
import { APIGW_REQUEST_ID, echo, recorded } from './recorded.js';

/** The answers an HTTP API gives itself (reference §7), where AWS recorded or documented them. */

afterAll(closeApis);

const ERRORS = recorded('gateway-errors.json');
const JWT_401 = recorded('aws-docs-jwt-401.json');
const NOW = Date.UTC(2020, 4, 13, 4, 7, 30);
const pool = createTestUserPool({ now: () => NOW });

describe.each(HOSTS)('gateway errors, %s', (_name, host) => {
  const app = host({
    clock: () => NOW,
    functions: {
      echo,
      fails: async () => {
        throw new Error('boom');
      },
    },
    authorizers: {
      jwt: { type: 'JWT', issuer: pool.issuer, audience: [pool.clientId], jwks: pool.jwks },
    },
    routes: {
      'GET /background-checks': { integration: { function: 'echo' } },
      'POST /background-checks': { integration: { function: 'echo' } },
      'GET /background-checks/{checkId}': { integration: { function: 'echo' } },
      'GET /route': { integration: { function: 'echo' }, authorizer: 'jwt' },
      'GET /fails': { integration: { function: 'fails' } },
    },
  });

  const notFound = (res: request.Response) => {
    expect(res.status).toBe(ERRORS.notFound.status);
    expect(res.body).toBe(ERRORS.notFound.body);
    expect(res.headers['apigw-requestid']).toMatch(APIGW_REQUEST_ID);
    // The probe saw content-length on every such answer.
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(ERRORS.notFound.body)));
  };

  test.each([
    ['GET', '/'],
    ['GET', '/health'],
    ['PUT', '/background-checks'],
    ['DELETE', '/background-checks'],
    ['PATCH', '/background-checks'],
    ['DELETE', '/background-checks/CHK-e52ae328-b466-4454-b046-f56936ffe99f'],
  ])('no route for %s %s: 404 {"message":"Not Found"}', async (method, path) => {
    notFound(await request(app)[method.toLowerCase() as 'get'](path).parse(asText));
  });

  test('D-routes: no stage matches and there is no $default stage → 404 {"message":"Not Found"}', async () => {
    // Bare node:http has no host app behind the API: what is outside the stage is the API's 404.
    if (_name !== 'node:http') return;
    const staged = host({
      stageName: 'prod',
      functions: { echo },
      routes: { $default: { integration: { function: 'echo' } } },
    });
    notFound(await request(staged).get('/dev/pets').parse(asText));
  });

  test('voker paths.py: an undecodable path is refused with 400 before any route', async () => {
    const res = await request(app).get(ERRORS.undecodablePath.path);
    expect(res.status).toBe(ERRORS.undecodablePath.status);
  });

  test('D-ts-lambda: a function error answers {"message":"Internal Server Error"}', async () => {
    const res = await request(app).get('/fails').parse(asText);
    expect(res.body).toBe(ERRORS.internalServerError.body);
    expect(res.headers['apigw-requestid']).toMatch(APIGW_REQUEST_ID);
  });

  test('D-jwt-ts capture: a token for another audience, header for header', async () => {
    const res = await request(app)
      .get('/route')
      .set('Authorization', pool.idToken({ aud: 'someone-else' }))
      .parse(asText);
    expect(res.status).toBe(JWT_401.status);
    expect(res.body).toBe(JWT_401.body);
    expect(res.headers['content-length']).toBe(JWT_401.headers['content-length']);
    expect(res.headers['www-authenticate']).toBe(JWT_401.headers['www-authenticate']);
    expect(res.headers['apigw-requestid']).toMatch(APIGW_REQUEST_ID);
    for (const name of JWT_401.absentHeaders) expect(res.headers).not.toHaveProperty(name);
  });
});
