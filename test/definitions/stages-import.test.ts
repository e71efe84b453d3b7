import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ResolvedOptions } from '../../src/config/types.js';
import { mergeStages } from '../../src/definitions/merge-stages.js';
import { apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const FN_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations';

const answer = (name: string) => async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  body: JSON.stringify({ fn: name, stage: event.requestContext.stage, variables: event.stageVariables }),
});

/** A RestApi with one GET on its root and two AWS::ApiGateway::Stage resources. */
const template = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
    Get: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: FN_URI },
      },
    },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
    Beta: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        DeploymentId: { Ref: 'Deployment' },
        StageName: 'beta',
        Variables: { fn: 'ordersBeta' },
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 0.001, ThrottlingBurstLimit: 1 },
        ],
      },
    },
    Prod: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        DeploymentId: { Ref: 'Deployment' },
        StageName: 'prod',
        Variables: { fn: 'ordersProd' },
      },
    },
  },
};

const functions = { ordersBeta: answer('ordersBeta'), ordersProd: answer('ordersProd') };

describe.each(EXPRESS_VERSIONS)(
  'a template with two AWS::ApiGateway::Stage resources (Express %s)',
  (_v, express) => {
    it('serves both stages from one gateway, each with its variables and method settings', async () => {
      const gateway = apiGateway({
        template,
        functions,
        logger: silentLogger(),
        clock: () => 1_700_000_000_000,
      });
      await gateway.ready;
      const app = express();
      app.use(gateway);
      const beta = await request(app).get('/beta/');
      expect([beta.status, beta.body]).toEqual([
        200,
        { fn: 'ordersBeta', stage: 'beta', variables: { fn: 'ordersBeta' } },
      ]);
      expect((await request(app).get('/beta/')).status).toBe(429);
      for (let i = 0; i < 2; i++) {
        const prod = await request(app).get('/prod/');
        expect([prod.status, prod.body]).toEqual([
          200,
          { fn: 'ordersProd', stage: 'prod', variables: { fn: 'ordersProd' } },
        ]);
      }
      await gateway.close();
    });

    it('serves the stage stageName names alone', async () => {
      const gateway = apiGateway({ template, functions, stageName: 'prod', logger: silentLogger() });
      await gateway.ready;
      const app = express();
      app.use(gateway);
      app.use((_req, res) => {
        res.status(404).send('host');
      });
      expect((await request(app).get('/prod/')).body.fn).toBe('ordersProd');
      expect((await request(app).get('/beta/')).text).toBe('host');
    });

    it("serves the app's own stages instead of the definition's", async () => {
      const gateway = apiGateway({
        template,
        functions,
        stages: { live: { variables: { fn: 'ordersProd' } } },
        logger: silentLogger(),
      });
      await gateway.ready;
      const app = express();
      app.use(gateway);
      app.use((_req, res) => {
        res.status(404).send('host');
      });
      expect((await request(app).get('/live/')).body).toEqual({
        fn: 'ordersProd',
        stage: 'live',
        variables: { fn: 'ordersProd' },
      });
      expect((await request(app).get('/beta/')).text).toBe('host');
    });
  },
);

describe('mergeStages', () => {
  const resources = { '/': { GET: { integration: { type: 'MOCK' as const } } } };
  it("keeps each stage's own settings and shares the rest", () => {
    const merged = mergeStages([
      { resources, stageName: 'Prod', stageVariables: { a: '1' }, methodSettings: [] },
      { resources, stageName: 'Stage' },
    ] as ResolvedOptions[]);
    expect(merged).toEqual({
      resources,
      stages: { Prod: { variables: { a: '1' }, methodSettings: [] }, Stage: { variables: {} } },
    });
  });

  it('keeps stages apart that differ beyond their own settings (a usage plan bound to one)', () => {
    expect(
      mergeStages([
        { resources, stageName: 'Prod', usagePlans: [{ name: 'p', apiKeys: ['k'] }] },
        { resources, stageName: 'Stage' },
      ] as ResolvedOptions[]),
    ).toBeUndefined();
    expect(mergeStages([{ resources, stageName: 'a', basePath: '' }] as ResolvedOptions[])).toBeUndefined();
  });
});
