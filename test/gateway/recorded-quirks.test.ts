import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, Handler } from 'aws-lambda';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// Behaviours recorded from AWS in LocalStack's AWS-validated apigateway test snapshots.
describe.each(EXPRESS_VERSIONS)('recorded AWS quirks on Express %s', (_v, express) => {
  it('answers from a {proxy+} sibling when the literal resource lacks the method (test_proxy_routing_with_hardcoded_resource_sibling)', async () => {
    const app = createApp(
      {
        functions: { echo: echoEvent, literal: async () => ({ statusCode: 200, body: '"literal"' }) },
        resources: { '/test': { POST: proxy('literal') }, '/{proxy+}': { OPTIONS: proxy('echo') } },
      },
      express,
    );
    const options = await request(app).options('/prod/test');
    expect(options.status).toBe(200);
    expect((options.body as APIGatewayProxyEvent).resource).toBe('/{proxy+}');
    expect((options.body as APIGatewayProxyEvent).pathParameters).toEqual({ proxy: 'test' });
    const post = await request(app).post('/prod/test');
    expect(post.text).toBe('"literal"');
    const get = await request(app).get('/prod/test');
    expect(get.status).toBe(403);
    expect(get.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('backs off a literal match to a {param} sibling that has the method', async () => {
    const app = createApp(
      {
        functions: { echo: echoEvent },
        resources: { '/items/new': { POST: proxy('echo') }, '/items/{id}': { GET: proxy('echo') } },
      },
      express,
    );
    const res = await request(app).get('/prod/items/new');
    expect(res.status).toBe(200);
    expect(res.body.resource).toBe('/items/{id}');
    expect(res.body.pathParameters).toEqual({ id: 'new' });
  });

  it('collapses slashes before the stage: //stage/x has path /x and requestContext.path /stage/x (invocation-payload-with-prepended-slash-to-stage)', async () => {
    const app = createApp(
      {
        stageName: 'dev',
        functions: { echo: echoEvent },
        resources: { '/{proxy+}': { ANY: proxy('echo') } },
      },
      express,
    );
    const res = await request(app).get('//dev/proxy-value');
    expect(res.status).toBe(200);
    expect(res.body.path).toBe('/proxy-value');
    expect(res.body.requestContext.path).toBe('/dev/proxy-value');
    expect(res.body.pathParameters).toEqual({ proxy: 'proxy-value' });
  });

  it('drops Content-MD5, Max-Forwards, Proxy-Authenticate, Server and WWW-Authenticate from the event (test_apigateway_header_remapping_aws)', async () => {
    const app = createApp(
      { functions: { echo: echoEvent }, resources: { '/x': { GET: proxy('echo') } } },
      express,
    );
    const res = await request(app)
      .get('/prod/x')
      .set('Content-MD5', 'abc')
      .set('Max-Forwards', '3')
      .set('Proxy-Authenticate', 'Basic')
      .set('Server', 'client')
      .set('WWW-Authenticate', 'Basic')
      .set('X-Kept', 'yes');
    expect(res.status).toBe(200);
    const names = Object.keys(res.body.headers).map((n) => n.toLowerCase());
    for (const dropped of [
      'content-md5',
      'max-forwards',
      'proxy-authenticate',
      'server',
      'www-authenticate',
    ]) {
      expect(names).not.toContain(dropped);
    }
    expect(res.body.headers['X-Kept']).toBe('yes');
  });

  it('remaps reserved headers a non-proxy integration response maps, and drops Transfer-Encoding', async () => {
    const app = createApp(
      {
        functions: { fn: async () => ({ ok: true }) },
        resources: {
          '/x': {
            GET: {
              integration: {
                type: 'AWS',
                function: 'fn',
                integrationResponses: [
                  {
                    statusCode: '200',
                    responseParameters: {
                      'method.response.header.Date': "'d'",
                      'method.response.header.Server': "'s'",
                      'method.response.header.WWW-Authenticate': "'w'",
                      'method.response.header.Transfer-Encoding': "'chunked'",
                      'method.response.header.Accept-Ranges': "'bytes'",
                    },
                  },
                ],
              },
            },
          },
        },
      },
      express,
    );
    const res = await request(app).get('/prod/x');
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-remapped-date']).toBe('d');
    expect(res.headers['x-amzn-remapped-server']).toBe('s');
    expect(res.headers['x-amzn-remapped-www-authenticate']).toBe('w');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.text).toBe('{"ok":true}');
  });

  it.each(['AWS', 'AWS_PROXY'] as const)(
    'fails every %s call with a 500 when an illegal header is mapped into the integration request',
    async (type) => {
      let calls = 0;
      const fn: Handler = async () => {
        calls++;
        return { statusCode: 200, body: 'ran' };
      };
      const options: ApiGatewayOptions = {
        functions: { fn },
        resources: {
          '/x': {
            GET: {
              integration: {
                type,
                function: 'fn',
                requestParameters: { 'integration.request.header.Content-Length': "'0'" },
                integrationResponses: type === 'AWS' ? [{ statusCode: '200' }] : undefined,
              },
            },
          },
        },
      };
      const res = await request(createApp(options, express)).get('/prod/x');
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"message": "Internal server error"}');
      expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
      expect(res.headers['x-amzn-trace-id']).toBeUndefined();
      expect(calls).toBe(0);
    },
  );

  it('accepts method.request.body sources in integration request parameters', () => {
    expect(() =>
      createApp(
        {
          functions: { fn: echoEvent },
          resources: {
            '/x': {
              POST: {
                integration: {
                  type: 'AWS',
                  function: 'fn',
                  requestParameters: {
                    'integration.request.header.X-Body': 'method.request.body',
                    'integration.request.header.X-Name': 'method.request.body.name',
                  },
                },
              },
            },
          },
        },
        express,
      ),
    ).not.toThrow();
  });
});

describe('connection headers', () => {
  it('answers a keep-alive client with Connection: keep-alive and no Keep-Alive header, as AWS does', async () => {
    const gateway = apiGateway({
      functions: { echo: echoEvent },
      resources: { '/x': { GET: proxy('echo') } },
    });
    const server = http.createServer((req, res) => gateway(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/prod/x', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.headers));
          })
          .on('error', reject);
      });
      expect(headers.connection).toBe('keep-alive');
      expect(headers['keep-alive']).toBeUndefined();
      expect(headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
