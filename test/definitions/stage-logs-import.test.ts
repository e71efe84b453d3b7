import request from 'supertest';
import { ConfigError } from '../../src/config/config-error.js';
import { importSam } from '../../src/definitions/sam-import.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const ctx = () => ({ baseDir: __dirname, logger: silentLogger() });
const FORMAT = '{"requestId":"$context.requestId","status":"$context.status"}';

const fn = {
  Type: 'AWS::Serverless::Function',
  Properties: {
    Handler: 'index.handler',
    Events: { Get: { Type: 'Api', Properties: { Path: '/', Method: 'get', RestApiId: { Ref: 'Api' } } } },
  },
};

describe('SAM AccessLogSetting and MethodSettings', () => {
  it('reads the Api’s AccessLogSetting Format and MethodSettings logging and metrics fields', async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: fn,
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'v1',
            AccessLogSetting: {
              DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api',
              Format: FORMAT,
            },
            MethodSettings: [
              {
                ResourcePath: '/*',
                HttpMethod: '*',
                LoggingLevel: 'INFO',
                DataTraceEnabled: true,
                MetricsEnabled: 'true',
              },
            ],
          },
        },
      },
    };
    const { options } = await importSam(template, ctx());
    expect(options.accessLogSettings).toEqual({ format: FORMAT });
    expect(options.methodSettings).toEqual([
      {
        resourcePath: '/*',
        httpMethod: '*',
        loggingLevel: 'INFO',
        dataTraceEnabled: true,
        metricsEnabled: true,
      },
    ]);
  });

  it('takes them from Globals.Api, and logs nothing without a Format', async () => {
    const template = (accessLog: object) => ({
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: {
        Api: {
          AccessLogSetting: accessLog,
          MethodSettings: [{ HttpMethod: 'GET', ResourcePath: '/', MetricsEnabled: false }],
        },
      },
      Resources: { Fn: fn, Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'v1' } } },
    });
    const { options } = await importSam(template({ Format: FORMAT }), ctx());
    expect(options.accessLogSettings).toEqual({ format: FORMAT });
    expect(options.methodSettings).toEqual([{ resourcePath: '/', httpMethod: 'GET', metricsEnabled: false }]);
    const none = await importSam(template({ DestinationArn: 'arn:aws:logs:us-east-1:1:log-group:x' }), ctx());
    expect(none.options.accessLogSettings).toBeUndefined();
  });

  it('names the field of a Format that is not text', async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: fn,
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: { StageName: 'v1', AccessLogSetting: { Format: 42 } },
        },
      },
    };
    await expect(importSam(template, ctx())).rejects.toThrow(
      new ConfigError(
        'Resources.Api.Properties.AccessLogSetting.Format: a string of $context variables (got number)',
      ),
    );
  });
});

describe('CloudFormation AWS::ApiGateway::Stage', () => {
  const template = (stage: object) => ({
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
      Get: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' } },
        },
      },
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev', ...stage },
      },
    },
  });

  it('reads AccessLogSetting and MethodSettings from the stage', async () => {
    const { options } = await importSam(
      template({
        AccessLogSetting: {
          DestinationArn: 'arn:aws:firehose:us-east-1:1:deliverystream/amazon-apigateway-x',
          Format: FORMAT,
        },
        MethodSettings: [
          { ResourcePath: '/~1', HttpMethod: 'GET', LoggingLevel: 'ERROR', MetricsEnabled: true },
        ],
      }),
      ctx(),
    );
    expect(options.stageName).toBe('dev');
    expect(options.accessLogSettings).toEqual({ format: FORMAT });
    expect(options.methodSettings).toEqual([
      { resourcePath: '/', httpMethod: 'GET', loggingLevel: 'ERROR', metricsEnabled: true },
    ]);
  });
});

describe('serverless.yml provider.logs.restApi and provider.apiGateway.metrics', () => {
  const service = (provider: object) => ({
    service: 'svc',
    provider: { name: 'aws', ...provider },
    functions: { hello: { handler: 'handler.hello', events: [{ http: 'GET hello' }] } },
  });

  it('turns on access logs in the framework’s default format, and execution logs at INFO with full data', async () => {
    const { options } = await importServerless(service({ logs: { restApi: true } }), ctx());
    expect(options.accessLogSettings).toEqual({
      format:
        'requestId: $context.requestId, ip: $context.identity.sourceIp, caller: $context.identity.caller, user: $context.identity.user, requestTime: $context.requestTime, httpMethod: $context.httpMethod, resourcePath: $context.resourcePath, status: $context.status, protocol: $context.protocol, responseLength: $context.responseLength',
    });
    expect(options.methodSettings).toEqual([
      { resourcePath: '/*', httpMethod: '*', loggingLevel: 'INFO', dataTraceEnabled: true },
    ]);
  });

  it('takes format, level, executionLogging, fullExecutionData and metrics', async () => {
    const { options } = await importServerless(
      service({
        logs: {
          restApi: { format: FORMAT, level: 'ERROR', fullExecutionData: false, roleManagedExternally: true },
        },
        apiGateway: { metrics: true },
      }),
      ctx(),
    );
    expect(options.accessLogSettings).toEqual({ format: FORMAT });
    expect(options.methodSettings).toEqual([
      {
        resourcePath: '/*',
        httpMethod: '*',
        metricsEnabled: true,
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
      },
    ]);
    const quiet = await importServerless(
      service({ logs: { restApi: { accessLogging: false, executionLogging: false } } }),
      ctx(),
    );
    expect(quiet.options.accessLogSettings).toBeUndefined();
    expect(quiet.options.methodSettings).toEqual([
      { resourcePath: '/*', httpMethod: '*', loggingLevel: 'OFF', dataTraceEnabled: true },
    ]);
  });

  it('leaves logs off without provider.logs.restApi, and names a bad level', async () => {
    const { options } = await importServerless(service({}), ctx());
    expect(options.accessLogSettings).toBeUndefined();
    expect(options.methodSettings).toBeUndefined();
    await expect(importServerless(service({ logs: { restApi: { level: 'DEBUG' } } }), ctx())).rejects.toThrow(
      new ConfigError('provider.logs.restApi.level: INFO or ERROR (got "DEBUG")'),
    );
  });
});

describe.each(EXPRESS_VERSIONS)('a template’s access log, served on Express %s', (_version, express) => {
  it('writes the stage’s Format to the destination the app gives', async () => {
    const lines: string[] = [];
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: fn,
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'v1',
            AccessLogSetting: { DestinationArn: 'arn:aws:logs:x', Format: FORMAT },
          },
        },
      },
    };
    const gateway = apiGateway({
      template,
      functions: { Fn: async () => ({ statusCode: 200, body: '{}' }) },
      accessLogSettings: { destination: (line) => lines.push(line) },
      logger: silentLogger(),
    });
    await gateway.ready;
    const res = await request(express().use(gateway)).get('/v1/');
    expect(res.status).toBe(200);
    expect(lines).toEqual([`{"requestId":"${res.headers['x-amzn-requestid']}","status":"200"}`]);
  });
});
