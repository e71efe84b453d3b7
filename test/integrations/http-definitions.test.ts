import express from 'express';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';
import { type Backend, type Echoed, echoBackend } from '../support/http-backends.js';

let backend: Backend;
beforeAll(async () => {
  backend = await echoBackend();
});
afterAll(() => backend.close());

async function serve(options: ApiGatewayOptions, factory: ExpressFactory = express) {
  const app = factory();
  const gateway = apiGateway({ logger: silentLogger(), ...options });
  app.use(gateway);
  await gateway.ready;
  return app;
}

/** SAM's inline swagger for `/{proxy+}` → the backend, as `sam init`'s proxy examples write it. */
function samTemplate(): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'prod',
          DefinitionBody: {
            swagger: '2.0',
            info: { title: 'proxy', version: '1' },
            paths: {
              '/{proxy+}': {
                'x-amazon-apigateway-any-method': {
                  parameters: [{ name: 'proxy', in: 'path', required: true, type: 'string' }],
                  'x-amazon-apigateway-integration': {
                    type: 'http_proxy',
                    httpMethod: 'ANY',
                    uri: `${backend.url}/echo/{proxy}`,
                    passthroughBehavior: 'when_no_match',
                    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
                  },
                },
              },
              '/status/{code}': {
                get: {
                  parameters: [{ name: 'code', in: 'path', required: true, type: 'string' }],
                  'x-amazon-apigateway-integration': {
                    type: 'http',
                    httpMethod: 'GET',
                    uri: `${backend.url}/status/{code}`,
                    requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
                    responses: {
                      default: { statusCode: '200' },
                      '4\\d{2}': {
                        statusCode: '400',
                        responseTemplates: { 'application/json': '{"failed": $input.json(\'$.status\')}' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('HTTP integrations from definitions on Express %s', (_v, factory) => {
  it('serves SAM inline swagger: http_proxy on {proxy+} and http with responses keyed by status pattern', async () => {
    const app = await serve({ template: samTemplate() }, factory);
    const proxied = await request(app).delete('/prod/orders/5?x=1');
    expect(proxied.status).toBe(200);
    expect((proxied.body as Echoed).method).toBe('DELETE');
    expect((proxied.body as Echoed).url).toBe('/echo/orders/5?x=1');
    const mapped = await request(app).get('/prod/status/404');
    expect(mapped.status).toBe(400);
    expect(mapped.body).toEqual({ failed: 404 });
  });

  it('serves CloudFormation AWS::ApiGateway::Method with Integration Type HTTP_PROXY', async () => {
    const template = {
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'cfn' } },
        Items: {
          Type: 'AWS::ApiGateway::Resource',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            PathPart: 'items',
          },
        },
        ItemsGet: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { Ref: 'Items' },
            HttpMethod: 'GET',
            AuthorizationType: 'NONE',
            Integration: {
              Type: 'HTTP_PROXY',
              IntegrationHttpMethod: 'GET',
              Uri: { 'Fn::Join': ['', [backend.url, '/echo/items']] },
              RequestParameters: { 'integration.request.header.X-Source': "'cfn'" },
            },
          },
        },
        Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
        Stage: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'v1' },
        },
      },
    };
    const app = await serve({ template }, factory);
    const res = await request(app).get('/v1/items?page=2');
    expect(res.status).toBe(200);
    expect((res.body as Echoed).url).toBe('/echo/items?page=2');
    expect((res.body as Echoed).headers['x-source']).toBe('cfn');
  });

  it('serves serverless http-proxy (request.uri, request.parameters.paths) and http with a template', async () => {
    const serverless = {
      service: 'svc',
      provider: { name: 'aws', stage: 'dev' },
      functions: {
        proxy: {
          handler: 'p.h',
          events: [
            {
              http: {
                path: 'repo/{id}',
                method: 'get',
                integration: 'http-proxy',
                request: { uri: `${backend.url}/echo/repository/{id}`, parameters: { paths: { id: true } } },
              },
            },
            {
              http: {
                path: 'notes',
                method: 'post',
                integration: 'http',
                request: {
                  uri: `${backend.url}/echo/notes`,
                  template: { 'application/json': '{"text": $input.json(\'$.text\'), "via": "template"}' },
                },
              },
            },
          ],
        },
      },
    };
    const app = await serve({ serverless, functions: { proxy: async () => ({}) } }, factory);
    const proxied = await request(app).get('/dev/repo/77');
    expect((proxied.body as Echoed).url).toBe('/echo/repository/77');
    const templated = await request(app).post('/dev/notes').send({ text: 'hi' });
    expect(templated.status).toBe(200);
    const echoed = templated.body as Echoed;
    expect(echoed.method).toBe('POST');
    expect(Buffer.from(echoed.bodyBase64, 'base64').toString()).toBe('{"text": "hi", "via": "template"}');
  });
});
