import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

// Each function names itself, so a response says which method the gateway chose.
const named = (name: string) => async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  body: JSON.stringify({ fn: name, resource: event.resource, pathParameters: event.pathParameters }),
});

const options: ApiGatewayOptions = {
  stageName: 'prod',
  functions: {
    root: named('root'),
    list: named('list'),
    mine: named('mine'),
    pet: named('pet'),
    petAny: named('petAny'),
    deep: named('deep'),
    greedy: named('greedy'),
  },
  resources: {
    '/': { GET: proxy('root') },
    '/pets': { GET: proxy('list') },
    '/pets/mine': { GET: proxy('mine') },
    '/pets/{petId}': { GET: proxy('pet'), ANY: proxy('petAny') },
    '/a/{x}/d': { GET: proxy('deep') },
    '/a/b/c': { GET: proxy('deep') },
    '/files/{proxy+}': { GET: proxy('greedy') },
    '/x/y/z': { GET: proxy('deep') },
  },
};

const MISSING_TOKEN = '{"message":"Missing Authentication Token"}';

function expectMissingToken(res: request.Response): void {
  expect(res.status).toBe(403);
  expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-amz-apigw-id']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  expect(res.headers['x-amzn-trace-id']).toBeUndefined();
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.text).toBe(MISSING_TOKEN);
}

describe.each(EXPRESS_VERSIONS)('routing on Express %s', (_version, express) => {
  const app = createApp(options, express, {
    after: (a) => {
      a.get('/health', (_req, res) => {
        res.send('host app');
      });
      a.get('/prodx', (_req, res) => {
        res.send('host prodx');
      });
    },
  });

  it.each([
    ['/prod', 'root', '/', null],
    ['/prod/', 'root', '/', null],
    ['/prod/pets', 'list', '/pets', null],
    ['/prod/pets/mine', 'mine', '/pets/mine', null],
    ['/prod/pets/7', 'pet', '/pets/{petId}', { petId: '7' }],
    ['/prod/a/b/c', 'deep', '/a/b/c', null],
    ['/prod/a/b/d', 'deep', '/a/{x}/d', { x: 'b' }],
    ['/prod/files/a/b/c.png', 'greedy', '/files/{proxy+}', { proxy: 'a/b/c.png' }],
  ])('GET %s reaches %s on resource %s', async (url, fn, resource, pathParameters) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ fn, resource, pathParameters });
  });

  it('prefers an explicit method to ANY on the same resource, and uses ANY for the others', async () => {
    const get = await request(app).get('/prod/pets/7');
    const del = await request(app).delete('/prod/pets/7');
    const head = await request(app).head('/prod/pets/7');
    expect(get.status).toBe(200);
    expect(get.body.fn).toBe('pet');
    expect(del.status).toBe(200);
    expect(del.body.fn).toBe('petAny');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
  });

  it.each([
    ['GET', '/prod/nope'],
    ['GET', '/prod/pets/7/toys'],
    ['POST', '/prod/pets'],
    ['DELETE', '/prod/'],
    ['GET', '/prod/files'],
    ['GET', '/prod/files/'],
    ['GET', '/prod/x'],
    ['GET', '/prod/x/y'],
    ['GET', '/prod/a/b'],
    ['GET', '/prod/Pets'],
  ])('answers %s %s with 403 Missing Authentication Token', async (method, url) => {
    const res = await request(app)[method.toLowerCase() as 'get'](url);
    expectMissingToken(res);
  });

  it('does not let ANY cover methods outside DELETE GET HEAD OPTIONS PATCH POST PUT', async () => {
    const res = await request(app).trace('/prod/pets/7');
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  });

  it('leaves requests outside the stage path to the host app (next)', async () => {
    const health = await request(app).get('/health');
    expect(health.status).toBe(200);
    expect(health.text).toBe('host app');
    expect(health.headers['x-amzn-requestid']).toBeUndefined();
    const prodx = await request(app).get('/prodx');
    expect(prodx.status).toBe(200);
    expect(prodx.text).toBe('host prodx');
  });

  it("lets the host app's 404 answer a path that is neither the stage nor its own", async () => {
    const res = await request(app).get('/elsewhere');
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBeUndefined();
  });

  it('serves at the root with basePath "" (custom domain style), leaving nothing to next()', async () => {
    const root = createApp({ ...options, basePath: '' }, express, {
      after: (a) => {
        a.get('/health', (_req, res) => {
          res.send('host app');
        });
      },
    });
    const pet = await request(root).get('/pets/7');
    expect(pet.status).toBe(200);
    expect(pet.body).toEqual({ fn: 'pet', resource: '/pets/{petId}', pathParameters: { petId: '7' } });
    const home = await request(root).get('/');
    expect(home.status).toBe(200);
    expect(home.body.fn).toBe('root');
    expectMissingToken(await request(root).get('/health'));
  });

  it('serves under a custom basePath', async () => {
    const api = createApp({ ...options, basePath: '/api/v1' }, express);
    const res = await request(api).get('/api/v1/pets/mine');
    expect(res.status).toBe(200);
    expect(res.body.fn).toBe('mine');
    expect((await request(api).get('/api/v1x/pets')).status).toBe(404);
  });

  it('does not serve the root with a greedy resource alone: /{proxy+} does not match /', async () => {
    const greedyOnly = createApp(
      { functions: { greedy: named('greedy') }, resources: { '/{proxy+}': { ANY: proxy('greedy') } } },
      express,
    );
    expectMissingToken(await request(greedyOnly).get('/prod'));
    expectMissingToken(await request(greedyOnly).get('/prod/'));
    const deep = await request(greedyOnly).get('/prod/any/thing');
    expect(deep.status).toBe(200);
    expect(deep.body).toEqual({
      fn: 'greedy',
      resource: '/{proxy+}',
      pathParameters: { proxy: 'any/thing' },
    });
  });
});
