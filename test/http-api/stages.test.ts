import request from 'supertest';
import { httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

const options = {
  functions: { echo },
  routes: { 'GET /agents/{id}': { integration: { function: 'echo' } } },
};
const eventOf = (res: { text: string }) => JSON.parse(res.text);

describe.each(HOSTS)('stages, %s', (name, host) => {
  test('$default (the default): served at the root, stage "$default"', async () => {
    const res = await request(host(options)).get('/agents/1234');
    expect(res.status).toBe(200);
    const event = eventOf(res);
    expect(event.requestContext.stage).toBe('$default');
    expect(event.rawPath).toBe('/agents/1234');
  });

  test('a named stage: served under /{stage}, rawPath keeps the prefix', async () => {
    const app = host({ ...options, stageName: 'dev' });
    const res = await request(app).get('/dev/agents/1234');
    expect(res.status).toBe(200);
    const event = eventOf(res);
    expect(event).toMatchObject({
      rawPath: '/dev/agents/1234',
      routeKey: 'GET /agents/{id}',
      pathParameters: { id: '1234' },
      requestContext: { stage: 'dev', http: { path: '/dev/agents/1234' } },
    });
    const missing = await request(app).get('/dev/agents');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"message":"Not Found"}');
  });

  test('outside a named stage: the host app’s (bare node:http: 404 Not Found)', async () => {
    const app = host({ ...options, stageName: 'dev' });
    const res = await request(app).get('/host');
    if (name === 'node:http') {
      expect(res.status).toBe(404);
      expect(res.text).toBe('{"message":"Not Found"}');
    } else {
      expect(res.status).toBe(200);
      expect(res.text).toBe('host app');
    }
    expect((await request(app).get('/development/agents/1')).status).toBe(404);
  });
});

describe('stage options refused at startup', () => {
  test.each([
    [{ stageName: 'my stage' }, /stageName: "\$default" or 1–128 letters/],
    [{ stageVariables: { table: 'has space' } }, /stageVariables\["table"\]: 1 or more of/],
    [{ stageVariables: { 'bad-name': 'x' } }, /stageVariables\["bad-name"\]: names are/],
    [{ stage: 'dev' }, /httpApi\(\): unknown option "stage"/],
  ])('%j', (extra, message) => {
    expect(() => httpApi({ ...options, logger: silentLogger(), ...extra } as never)).toThrow(message);
  });
});
