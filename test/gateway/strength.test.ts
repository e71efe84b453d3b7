import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const eventOf = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

const options: ApiGatewayOptions = {
  restApiId: 'abc123',
  region: 'us-east-1',
  stageName: 'prod',
  functions: { echo: echoEvent },
  resources: {
    '/any': { ANY: proxy('echo') },
    '/{proxy+}': { GET: proxy('echo') },
    '/files/{proxy+}': { POST: proxy('echo') },
  },
};

describe.each(EXPRESS_VERSIONS)('the event as the gateway builds it (Express %s)', (_v, express) => {
  const app = createApp(options, express);

  it.each([
    ['api.example.com', 'api.example.com', 'api'],
    ['abc123.execute-api.us-east-1.amazonaws.com', 'abc123.execute-api.us-east-1.amazonaws.com', 'abc123'],
    ['localhost', 'localhost', 'localhost'],
  ])('takes domainName and domainPrefix from the Host header %s', async (host, domainName, domainPrefix) => {
    const res = await request(app).get('/prod/any').set('Host', host);
    expect(res.status).toBe(200);
    expect(eventOf(res).requestContext).toMatchObject({ domainName, domainPrefix });
  });

  it.each(['PATCH', 'PUT', 'DELETE', 'POST', 'GET'])('lets %s reach an ANY method', async (method) => {
    const res = await request(app)[method.toLowerCase() as 'get']('/prod/any');
    expect(res.status).toBe(200);
    expect(eventOf(res)).toMatchObject({ httpMethod: method, resource: '/any' });
  });

  it('answers from an outer /{proxy+} when the nested {proxy+} lacks the method', async () => {
    const res = await request(app).get('/prod/files/a/b');
    expect(res.status).toBe(200);
    expect(eventOf(res)).toMatchObject({ resource: '/{proxy+}', pathParameters: { proxy: 'files/a/b' } });
    const inner = await request(app).post('/prod/files/a/b');
    expect(eventOf(inner)).toMatchObject({ resource: '/files/{proxy+}', pathParameters: { proxy: 'a/b' } });
  });

  it('keeps hop-by-hop headers out of the event', async () => {
    // A raw request: Node's client refuses to send a Trailer header on a request without a body.
    const server = createServer(app).listen(0);
    await once(server, 'listening');
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.end(
        [
          'GET /prod/any HTTP/1.1',
          'Host: api.example.com',
          'Connection: close',
          'Keep-Alive: timeout=5',
          'Proxy-Connection: keep-alive',
          'Trailer: Expires',
          'Upgrade: h2c',
          'X-Kept: yes',
          '',
          '',
        ].join('\r\n'),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of socket) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString();
      expect(text.startsWith('HTTP/1.1 200')).toBe(true);
      const event = JSON.parse(
        text.slice(text.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ''),
      ) as APIGatewayProxyEvent;
      const names = [...Object.keys(event.headers), ...Object.keys(event.multiValueHeaders)].map((n) =>
        n.toLowerCase(),
      );
      for (const hop of ['keep-alive', 'proxy-connection', 'trailer', 'upgrade', 'connection']) {
        expect(names).not.toContain(hop);
      }
      expect(event.headers['X-Kept']).toBe('yes');
    } finally {
      server.close();
    }
  });
});
