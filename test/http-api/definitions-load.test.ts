import path from 'node:path';
import express from 'express';
import request from 'supertest';
import type { HttpApiMiddleware } from '../../src/index.js';
import { ConfigError, httpApi, loadHttpApiDefinitions } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const DIR = path.join(__dirname, '../fixtures/definitions/http-api');
const at = (file: string) => path.join(DIR, file);
const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

async function serve(options: Parameters<typeof httpApi>[0]) {
  const api = httpApi({ logger: silentLogger(), ...options });
  opened.push(api);
  await api.ready;
  const app = express();
  app.use(api);
  return app;
}

describe('SAM HttpApi events: the implicit API', () => {
  test('routes, payload 2.0 by default, $default stage, Globals environment', async () => {
    const app = await serve({ template: at('sam-implicit.yaml') });
    const res = await request(app).get('/pets/7');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      version: '2.0',
      routeKey: 'GET /pets/{id}',
      resource: null,
      stage: '$default',
      pathParameters: { id: '7' },
      stageVariables: null,
      greeting: 'hi',
    });
  });

  test('PayloadFormatVersion 1.0 on an event gives a 1.0 event', async () => {
    const app = await serve({ template: at('sam-implicit.yaml') });
    const res = await request(app).post('/v1/a/b');
    expect(res.body).toMatchObject({
      version: '1.0',
      resource: '/v1/{proxy+}',
      pathParameters: { proxy: 'a/b' },
    });
  });

  test('an event without Path and Method is the $default route', async () => {
    const app = await serve({ template: at('sam-implicit.yaml') });
    const res = await request(app).delete('/anything/else');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ hello: 'world' });
  });

  test('loaded as options: Handler strings under CodeUri', async () => {
    const [api] = await loadHttpApiDefinitions({ template: at('sam-implicit.yaml') });
    expect(api.name).toBe('ServerlessHttpApi');
    expect(Object.keys(api.options.routes ?? {}).sort()).toEqual([
      '$default',
      'ANY /v1/{proxy+}',
      'GET /pets/{id}',
    ]);
    expect(api.options.functions?.EchoFunction).toMatchObject({ handler: 'handlers.echo' });
  });
});

describe('SAM AWS::Serverless::HttpApi', () => {
  test('StageName and StageVariables; CorsConfiguration served', async () => {
    const app = await serve({ template: at('sam-explicit.yaml') });
    const res = await request(app).get('/dev/pets/1').set('Origin', 'https://example.com');
    expect(res.body).toMatchObject({ stage: 'dev', stageVariables: { color: 'blue' } });
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com');
    expect((await request(app).get('/pets/1')).status).toBe(404);
  });

  test('stageName given beside the template wins', async () => {
    const app = await serve({ template: at('sam-explicit.yaml'), stageName: 'beta' });
    expect((await request(app).get('/beta/pets/1')).body).toMatchObject({ stage: 'beta' });
  });

  test('an ApiId that is no HttpApi of the template is a ConfigError', async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            CodeUri: '.',
            Handler: 'a.b',
            Runtime: 'nodejs20.x',
            Events: { E: { Type: 'HttpApi', Properties: { ApiId: 'Nope', Path: '/x', Method: 'GET' } } },
          },
        },
      },
    };
    await expect(loadHttpApiDefinitions({ template })).rejects.toThrow(
      /Events\.E\.Properties\.ApiId: "Nope" is no AWS::Serverless::HttpApi/,
    );
  });
});

describe('CloudFormation AWS::ApiGatewayV2 as cdk synth writes it', () => {
  test('Api, Integration, Route and Stage; the CDK asset folder holds the handler', async () => {
    const app = await serve({ template: at('cdk-synth.json') });
    const res = await request(app).get('/pets/3');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '2.0', routeKey: 'GET /pets/{id}', stage: '$default' });
    const [api] = await loadHttpApiDefinitions({ template: at('cdk-synth.json') });
    expect(api.options.functions?.EchoHandler886C0F2C).toMatchObject({
      handler: 'handlers.echo',
      codeUri: path.join(DIR, 'src'),
      environment: { GREETING: 'from-cdk' },
    });
    expect((await request(app).get('/other')).text).toBe('{"message":"Not Found"}');
  });

  test('quick create: Target is a $default route, payload 2.0', async () => {
    const app = await serve({ template: at('quick-create.yaml') });
    const res = await request(app).put('/any/path');
    expect(res.body).toMatchObject({ version: '2.0', routeKey: '$default', stage: '$default' });
  });

  test('a Route whose Target is no integration of the template is a ConfigError', async () => {
    const template = {
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
        R: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /x', Target: 'integrations/Missing' },
        },
      },
    };
    const error = await loadHttpApiDefinitions({ template }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/Resources\.R\.Properties\.Target/);
  });

  test('a template with REST APIs only declares no HTTP API', async () => {
    const template = { Resources: { R: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x' } } } };
    expect(await loadHttpApiDefinitions({ template })).toEqual([]);
    const api = httpApi({ template, logger: silentLogger() });
    await expect(api.ready).rejects.toThrow(/template: no HTTP API in it/);
  });
});

describe('serverless v3 httpApi events', () => {
  test('"METHOD /path", { method: "*", path }, "*"; payload 2.0; $default stage', async () => {
    const app = await serve({ serverless: at('serverless.yml') });
    expect((await request(app).get('/pets/5')).body).toMatchObject({
      version: '2.0',
      routeKey: 'GET /pets/{id}',
      stage: '$default',
    });
    const [api] = await loadHttpApiDefinitions({ serverless: at('serverless.yml') });
    expect(api.options.functions?.echo).toMatchObject({
      handler: 'src/handlers.echo',
      environment: { GREETING: 'from-sls' },
    });
    expect((await request(app).patch('/any/x')).body).toMatchObject({ routeKey: 'ANY /any/{proxy+}' });
    expect((await request(app).get('/elsewhere')).body).toEqual({ hello: 'world' });
  });

  test('provider.httpApi.payload 1.0', async () => {
    const app = await serve({ serverless: at('serverless-v1.yml') });
    expect((await request(app).get('/pets/5')).body).toMatchObject({
      version: '1.0',
      resource: '/pets/{id}',
    });
  });

  test('provider.httpApi.cors: true is served', async () => {
    const app = await serve({ serverless: at('serverless.yml') });
    const res = await request(app).get('/pets/1').set('Origin', 'https://any.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test('functions given beside the definition replace its handlers', async () => {
    const app = await serve({
      serverless: at('serverless.yml'),
      functions: { plain: async () => ({ mine: true }) },
    });
    expect((await request(app).get('/elsewhere')).body).toEqual({ mine: true });
  });

  test('routes with a definition is a ConfigError', () => {
    expect(() => httpApi({ serverless: at('serverless.yml'), routes: {} })).toThrow(
      /routes: not with serverless/,
    );
  });
});

describe('authorizers a definition names but does not declare: refused, never served open', () => {
  test('a SAM HttpApi event with Auth.Authorizer', async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            CodeUri: '.',
            Handler: 'a.b',
            Runtime: 'nodejs20.x',
            Events: {
              E: { Type: 'HttpApi', Properties: { Path: '/x', Method: 'GET', Auth: { Authorizer: 'Jwt' } } },
            },
          },
        },
      },
    };
    await expect(loadHttpApiDefinitions({ template })).rejects.toThrow(
      /Resources\.Fn\.Properties\.Events\.E\.Properties\.Auth\.Authorizer: "Jwt" is not in the API's Auth\.Authorizers/,
    );
  });

  test('a CloudFormation Route with AuthorizationType JWT', async () => {
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Handler: 'a.b', Runtime: 'nodejs20.x', Code: { ZipFile: 'x' } },
        },
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
        I: {
          Type: 'AWS::ApiGatewayV2::Integration',
          Properties: {
            ApiId: { Ref: 'Api' },
            IntegrationType: 'AWS_PROXY',
            IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
            PayloadFormatVersion: '2.0',
          },
        },
        R: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: {
            ApiId: { Ref: 'Api' },
            RouteKey: 'GET /x',
            AuthorizationType: 'JWT',
            Target: 'integrations/I',
          },
        },
      },
    };
    await expect(loadHttpApiDefinitions({ template })).rejects.toThrow(
      /Resources\.R\.Properties\.AuthorizerId: needed with AuthorizationType JWT/,
    );
  });

  test('a serverless httpApi event with an authorizer', async () => {
    const serverless = {
      service: 's',
      provider: { name: 'aws' },
      functions: {
        f: {
          handler: 'h.f',
          events: [{ httpApi: { method: 'GET', path: '/x', authorizer: { name: 'jwt' } } }],
        },
      },
    };
    await expect(loadHttpApiDefinitions({ serverless })).rejects.toThrow(
      /functions\.f\.events\[0\]\.httpApi\.authorizer\.name: "jwt" is not in provider\.httpApi\.authorizers/,
    );
  });
});
