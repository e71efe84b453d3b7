import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { normaliseEvent } from '../support/normalise-event.js';

const gateway = apiGateway({
  stageName: 'test',
  restApiId: 'abc123defg',
  accountId: '111111111111',
  logger: silentLogger(),
  functions: { echo: echoEvent, boom: () => Promise.reject(new Error('boom')) },
  resources: {
    '/{proxy+}': { ANY: proxy('echo') },
    '/hardcoded': { ANY: proxy('echo') },
    '/boom': { GET: proxy('boom') },
  },
});

const notFound = (res: http.ServerResponse) => () => {
  res.statusCode = 404;
  res.end('not found by the host');
};
const server = http.createServer((req, res) => gateway(req, res, notFound(res)));

describe('a bare node:http server', () => {
  it('serves the same event as under Express', async () => {
    const res = await request(server)
      .get('/test/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com')
      .set({
        Host: 'abc123defg.execute-api.us-east-1.amazonaws.com',
        Accept: '*/*',
        'User-Agent': 'python-requests/testing',
        'tEsT-HEADeR': 'aValUE',
        authorization: 'random-value',
      });
    expect(res.status).toBe(200);
    const golden = JSON.parse(
      readFileSync(join(__dirname, '../fixtures/events/path-encoded-email.json'), 'utf8'),
    );
    expect(normaliseEvent(res.body)).toEqual(golden);
  });

  it('answers the gateway errors itself', async () => {
    const res = await request(server).get('/test/boom');
    expect(res.status).toBe(502);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.text).toBe('{"message": "Internal server error"}');
    const missing = await request(server).get('/test');
    expect(missing.status).toBe(403);
    expect(missing.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('calls next for requests outside the stage path', async () => {
    const res = await request(server).get('/elsewhere');
    expect(res.status).toBe(404);
    expect(res.text).toBe('not found by the host');
  });

  it('answers 404 itself outside the stage path when given no next', async () => {
    const bare = http.createServer((req, res) => gateway(req, res));
    const res = await request(bare).get('/elsewhere');
    expect(res.status).toBe(404);
    expect(res.text).toBe('');
    const ok = await request(bare).get('/test/hardcoded');
    expect(ok.status).toBe(200);
    expect(ok.body.resource).toBe('/hardcoded');
  });
});
