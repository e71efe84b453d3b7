import request from 'supertest';
import type { HttpApiOptions } from '../../../src/index.js';
import { ConfigError, httpApi } from '../../../src/index.js';
import { asText } from '../../support/as-text.js';
import { silentLogger } from '../../support/create-app.js';
import { closeApis, HOSTS } from '../hosts.js';
import { echo, recorded } from './recorded.js';

/** Routes and stages (reference §3): D-routes' examples and the recorded trailing-slash miss. */

afterAll(closeApis);

const NOT_FOUND = recorded('gateway-errors.json').notFound.body;
const to = { integration: { function: 'echo' } };

describe.each(HOSTS)('route selection, %s', (_name, host) => {
  // D-routes "Routing API requests": these four routes and where four requests go.
  const app = host({
    functions: { echo },
    routes: {
      'GET /pets/dog/1': to,
      'GET /pets/dog/{id}': to,
      'GET /pets/{proxy+}': to,
      'ANY /{proxy+}': to,
    },
  });

  test.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', undefined],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
  ])('D-routes: %s %s → %s', async (method, path, routeKey, pathParameters) => {
    const event = JSON.parse((await request(app)[method.toLowerCase() as 'get'](path)).text);
    expect(event.routeKey).toBe(routeKey);
    expect(event.requestContext.routeKey).toBe(routeKey);
    if (pathParameters === undefined) expect(event).not.toHaveProperty('pathParameters');
    else expect(event.pathParameters).toEqual(pathParameters);
  });

  test('D-routes: ANY serves only the methods no route of the resource names', async () => {
    const api = host({ functions: { echo }, routes: { 'GET /pets': to, 'ANY /pets': to } });
    expect(JSON.parse((await request(api).get('/pets')).text).routeKey).toBe('GET /pets');
    expect(JSON.parse((await request(api).post('/pets')).text).routeKey).toBe('ANY /pets');
  });

  test('D-routes: the $default route takes what no other route matches; without it, 404', async () => {
    const withDefault = host({ functions: { echo }, routes: { 'GET /pets': to, $default: to } });
    const event = JSON.parse((await request(withDefault).delete('/anything/else')).text);
    expect(event.routeKey).toBe('$default');
    expect(event).not.toHaveProperty('pathParameters');
    const without = host({ functions: { echo }, routes: { 'GET /pets': to } });
    const res = await request(without).delete('/pets').parse(asText);
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
  });

  test('storacha/w3infra#166: /metrics/ does not match GET /metrics', async () => {
    const api = host({ functions: { echo }, routes: { 'GET /metrics': to } });
    expect((await request(api).get('/metrics')).status).toBe(200);
    const res = await request(api).get('/metrics/').parse(asText);
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
  });

  test('D-stages: $default serves at the base URL; a named stage under its name, route paths without it', async () => {
    const root = host({ functions: { echo }, routes: { 'GET /pets': to } });
    expect(JSON.parse((await request(root).get('/pets')).text).requestContext.stage).toBe('$default');
    const dev = host({ stageName: 'dev', functions: { echo }, routes: { 'GET /pets': to } });
    const event = JSON.parse((await request(dev).get('/dev/pets')).text);
    expect(event.routeKey).toBe('GET /pets');
    expect(event.requestContext.stage).toBe('dev');
  });
});

describe('route keys and stage names AWS refuses', () => {
  const build = (options: Partial<HttpApiOptions>) => () =>
    httpApi({ logger: silentLogger(), functions: { echo }, routes: { 'GET /ok': to }, ...options });

  test('a path ending in / (serverless-application-model#1949): ConfigError naming the route', () => {
    expect(build({ routes: { 'GET /metrics/': to } })).toThrow(ConfigError);
    expect(build({ routes: { 'GET /metrics/': to } })).toThrow(/routes\["GET \/metrics\/"\]/);
  });

  test('CFN-route: a greedy variable only last', () => {
    expect(build({ routes: { 'GET /{proxy+}/x': to } })).toThrow(ConfigError);
  });

  test('CFN-stage: $default or [A-Za-z0-9-_], at most 128', () => {
    expect(build({ stageName: 'my stage' })).toThrow(/stageName/);
    expect(build({ stageName: 'x'.repeat(129) })).toThrow(/stageName/);
    expect(build({ stageName: 'prod-v1_2' })).not.toThrow();
  });
});
