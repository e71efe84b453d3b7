import request from 'supertest';
import { apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const TRANSFORM = 'AWS::Serverless-2016-10-31';
const hello = async () => ({ statusCode: 200, body: '{"hi":true}' });

function fn(properties: Record<string, unknown>) {
  return {
    Type: 'AWS::Serverless::Function',
    Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', ...properties },
  };
}
const getEvent = { Get: { Type: 'Api', Properties: { Path: '/hi', Method: 'get' } } };

async function startError(options: Record<string, unknown>): Promise<string> {
  const gateway = apiGateway({ logger: silentLogger(), functions: { Fn: hello }, ...options });
  try {
    await gateway.ready;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await gateway.close().catch(() => undefined);
  }
  throw new Error('started');
}

describe('templates CloudFormation would reject', () => {
  it('refuses AWS::Serverless types without the SAM transform, with CloudFormation’s message', async () => {
    expect(await startError({ template: { Resources: { Fn: fn({ Events: getEvent }) } } })).toBe(
      'template: Template format error: Unrecognized resource types: [AWS::Serverless::Function] (the AWS::Serverless::* types need Transform: AWS::Serverless-2016-10-31)',
    );
  });

  it('refuses a misspelt AWS::Serverless type', async () => {
    const template = {
      Transform: TRANSFORM,
      Resources: { Fn: fn({ Events: getEvent }), Other: { Type: 'AWS::Serverless::Fucntion' } },
    };
    expect(await startError({ template })).toMatch(
      /Unrecognized resource types: \[AWS::Serverless::Fucntion\]$/,
    );
  });

  it('refuses a property SAM does not define, naming the resource and the property', async () => {
    const template = { Transform: TRANSFORM, Resources: { Fn: fn({ Evnts: getEvent }) } };
    expect(await startError({ template })).toBe(
      'Resources.Fn.Properties.Evnts: Resource with id [Fn] is invalid. property Evnts not defined for resource of type AWS::Serverless::Function (did you mean Events?)',
    );
  });

  it('names what a template holds when none of it is a REST API', async () => {
    const template = {
      Transform: TRANSFORM,
      Resources: {
        Fn: fn({ Events: { Tick: { Type: 'Schedule', Properties: { Schedule: 'rate(1 minute)' } } } }),
        Web: fn({ Events: { Get: { Type: 'HttpApi' } } }),
        Table: { Type: 'AWS::DynamoDB::Table' },
      },
    };
    expect(await startError({ template, functions: { Fn: hello, Web: hello } })).toBe(
      'template: nothing to serve: no REST API in it (an AWS::Serverless::Api, a function with an Api event, or an AWS::ApiGateway::RestApi). Found: Fn (AWS::Serverless::Function, events Tick: Schedule), Web (AWS::Serverless::Function, events Get: HttpApi), Table (AWS::DynamoDB::Table). Not usable here: Web: Events.Get: HttpApi (an HTTP API: httpApi() serves it; apigw-express serve serves both)',
    );
  });

  it('names a serverless.yml function whose events key is misspelt', async () => {
    const serverless = {
      service: 'svc',
      provider: { name: 'aws', runtime: 'nodejs20.x' },
      functions: { hello: { handler: 'handler.hello', evnts: [{ http: { path: '/hi', method: 'get' } }] } },
    };
    expect(await startError({ serverless, functions: { hello } })).toBe(
      'serverless: nothing to serve: no REST API method in it. Found: functions.hello (no events; keys: handler, evnts). Not usable here: nothing',
    );
  });
});

describe('an OpenAPI document with nothing to serve', () => {
  it('names its paths and why each method was left out', async () => {
    const openapi = {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { responses: {} } } },
    };
    expect(await startError({ openapi })).toBe(
      'openapi: nothing to serve: no REST API method in it. Found: /a (get). Not usable here: GET /a: no x-amazon-apigateway-integration (method left out)',
    );
  });
});

describe('gateway response keys as SAM’s own example writes them', () => {
  it('applies DEFAULT_4xx as DEFAULT_4XX', async () => {
    const template = {
      Transform: TRANSFORM,
      Resources: {
        MyApi: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'Prod',
            GatewayResponses: {
              DEFAULT_4xx: { ResponseParameters: { Headers: { 'Access-Control-Allow-Origin': "'*'" } } },
            },
          },
        },
        Fn: fn({
          Events: {
            Get: { Type: 'Api', Properties: { Path: '/hi', Method: 'get', RestApiId: { Ref: 'MyApi' } } },
          },
        }),
      },
    };
    const gateway = apiGateway({ template, functions: { Fn: hello }, logger: silentLogger() });
    await gateway.ready;
    const res = await request(gateway).get('/Prod/nowhere');
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    await gateway.close();
  });

  it('leaves out a key naming no response type, with a warning, and serves the rest', async () => {
    const logger = silentLogger();
    const openapi = {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/hi': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:hello/invocations',
            },
          },
        },
      },
      'x-amazon-apigateway-gateway-responses': {
        default_4xx: { responseParameters: { 'gatewayresponse.header.X-Four': "'4'" } },
        DEFAULT_4XXX: { responseParameters: { 'gatewayresponse.header.X-Typo': "'x'" } },
      },
    };
    const gateway = apiGateway({ openapi, functions: { hello }, logger });
    await gateway.ready;
    expect((await request(gateway).get('/prod/hi')).body).toEqual({ hi: true });
    const res = await request(gateway).get('/prod/nowhere');
    expect(res.headers['x-four']).toBe('4');
    expect(res.headers['x-typo']).toBeUndefined();
    expect(logger.calls.map((c) => String(c.args[0])).join('\n')).toContain(
      'x-amazon-apigateway-gateway-responses.DEFAULT_4XXX: no such gateway response type, left out',
    );
    await gateway.close();
  });
});
