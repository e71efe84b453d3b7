// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub and serverless ${self:} strings, not template literals
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { definitionDomains } from '../../src/domains/definition-domains.js';
import { readDomainMappings } from '../../src/domains/read-domain-mappings.js';
import { apiGateway, ConfigError, customDomains, definitionDomainNames } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const echo = async (event: APIGatewayProxyEvent) => ({ statusCode: 200, body: JSON.stringify(event) });

/** A SAM API with `Domain`, as the SAM docs' DomainConfiguration example writes it. */
const samTemplate = {
  Transform: 'AWS::Serverless-2016-10-31',
  Parameters: { Domain: { Type: 'String', Default: 'api.example.com' } },
  Resources: {
    PetsApi: {
      Type: 'AWS::Serverless::Api',
      Properties: {
        StageName: 'prod',
        DisableExecuteApiEndpoint: true,
        Domain: {
          DomainName: { Ref: 'Domain' },
          CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          BasePath: ['/', '/v1'],
        },
      },
    },
    PetsFunction: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Events: {
          Get: {
            Type: 'Api',
            Properties: { RestApiId: { Ref: 'PetsApi' }, Path: '/pets/{id}', Method: 'get' },
          },
        },
      },
    },
  },
};

/** A plain RestApi with DomainName, a one-level BasePathMapping and a multi-level v2 ApiMapping. */
const cfnTemplate = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders' } },
    Orders: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        PathPart: '{orderId}',
      },
    },
    GetOrder: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Orders' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: {
            'Fn::Sub':
              'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFunction.Arn}/invocations',
          },
        },
      },
    },
    OrdersFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: 'x' } },
    },
    Live: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'live', DeploymentId: 'd' },
    },
    Domain: {
      Type: 'AWS::ApiGateway::DomainName',
      Properties: { DomainName: 'Shop.Example.com', RegionalCertificateArn: 'arn:x' },
    },
    Mapping: {
      Type: 'AWS::ApiGateway::BasePathMapping',
      Properties: {
        DomainName: { Ref: 'Domain' },
        RestApiId: { Ref: 'Api' },
        BasePath: 'orders',
        Stage: { Ref: 'Live' },
      },
    },
    Nested: {
      Type: 'AWS::ApiGatewayV2::ApiMapping',
      Properties: {
        DomainName: { Ref: 'Domain' },
        ApiId: { Ref: 'Api' },
        ApiMappingKey: 'v1/orders',
        Stage: 'live',
      },
    },
    Stageless: {
      Type: 'AWS::ApiGateway::BasePathMapping',
      Properties: { DomainName: { Ref: 'Domain' }, RestApiId: { Ref: 'Api' }, BasePath: 'any' },
    },
  },
};

const serverless = {
  service: 'pets',
  provider: { name: 'aws', stage: 'dev', apiGateway: { disableDefaultEndpoint: true } },
  plugins: ['serverless-domain-manager'],
  custom: {
    domain: 'api.example.com',
    customDomain: { domainName: '${self:custom.domain}', basePath: 'pets', certificateName: '*.example.com' },
    customDomains: [
      { rest: { domainName: 'v2.example.com', basePath: 'v1/pets', stage: 'dev' } },
      { http: { domainName: 'http.example.com' } },
      { rest: { domainName: 'off.example.com', enabled: false } },
    ],
  },
  functions: { pets: { handler: 'index.handler', events: [{ http: { path: 'pets/{id}', method: 'get' } }] } },
};

describe('custom domains read from definitions', () => {
  it("reads SAM's Domain: one mapping per BasePath, non-alphanumerics dropped ('/' is the root), to the API's stage", async () => {
    expect(await readDomainMappings({ template: samTemplate })).toEqual([
      {
        domainName: 'api.example.com',
        basePath: '',
        restApiId: 'PetsApi',
        stage: 'prod',
        where: 'Resources.PetsApi.Properties.Domain',
      },
      {
        domainName: 'api.example.com',
        basePath: 'v1',
        restApiId: 'PetsApi',
        stage: 'prod',
        where: 'Resources.PetsApi.Properties.Domain',
      },
    ]);
  });

  it('reads DomainName, BasePathMapping (a Stage resource by Ref, or none) and a multi-level ApiMapping', async () => {
    expect(await readDomainMappings({ template: cfnTemplate })).toEqual([
      {
        domainName: 'shop.example.com',
        basePath: 'orders',
        restApiId: 'Api',
        stage: 'live',
        where: 'Resources.Mapping.Properties',
      },
      {
        domainName: 'shop.example.com',
        basePath: 'v1/orders',
        restApiId: 'Api',
        stage: 'live',
        where: 'Resources.Nested.Properties',
      },
      {
        domainName: 'shop.example.com',
        basePath: 'any',
        restApiId: 'Api',
        where: 'Resources.Stageless.Properties',
      },
    ]);
  });

  it("reads SAM's `Ref: MyApi.Stage` as the API's stage, and the import serves the API beside it", async () => {
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        PetsApi: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod' } },
        Domain: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com' } },
        Mapping: {
          Type: 'AWS::ApiGateway::BasePathMapping',
          Properties: {
            DomainName: { Ref: 'Domain' },
            RestApiId: { Ref: 'PetsApi' },
            Stage: { Ref: 'PetsApi.Stage' },
          },
        },
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Handler: 'index.handler',
            Runtime: 'nodejs20.x',
            Events: {
              Get: { Type: 'Api', Properties: { RestApiId: { Ref: 'PetsApi' }, Path: '/', Method: 'get' } },
            },
          },
        },
      },
    };
    expect(await readDomainMappings({ template })).toEqual([
      {
        domainName: 'a.example.com',
        basePath: '',
        restApiId: 'PetsApi',
        stage: 'prod',
        where: 'Resources.Mapping.Properties',
      },
    ]);
    const gateway = apiGateway({ template, functions: { Fn: echo }, logger: silentLogger() });
    await expect(gateway.ready).resolves.toBeUndefined();
  });

  it('refuses a BasePathMapping of several levels, as AWS does', async () => {
    const template = structuredClone(cfnTemplate) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    template.Resources.Mapping.Properties.BasePath = 'v1/orders';
    await expect(readDomainMappings({ template })).rejects.toThrow(
      new ConfigError(
        "Resources.Mapping.Properties.BasePath: 'v1/orders' has several levels; use AWS::ApiGatewayV2::ApiMapping",
      ),
    );
  });

  it("reads serverless-domain-manager's customDomain and REST customDomains, the deployed stage by default", async () => {
    expect(await readDomainMappings({ serverless })).toEqual([
      { domainName: 'api.example.com', basePath: 'pets', stage: 'dev', where: 'custom.customDomain' },
      {
        domainName: 'v2.example.com',
        basePath: 'v1/pets',
        stage: 'dev',
        where: 'custom.customDomains[0].rest',
      },
    ]);
    expect(await readDomainMappings({ serverless, stageName: 'prod' })).toContainEqual({
      domainName: 'api.example.com',
      basePath: 'pets',
      stage: 'prod',
      where: 'custom.customDomain',
    });
  });
});

describe.each(EXPRESS_VERSIONS)(
  'a definition served under its custom domains on Express %s',
  (_v, express) => {
    it('serves a SAM Domain and answers the execute-api URL 403 (DisableExecuteApiEndpoint)', async () => {
      const gateway = apiGateway({
        template: samTemplate,
        functions: { PetsFunction: echo },
        logger: silentLogger(),
      });
      await gateway.ready;
      const domains = definitionDomains(
        await readDomainMappings({ template: samTemplate }),
        { restApiId: 'PetsApi', stages: new Map([['prod', gateway]]) },
        silentLogger(),
      );
      const app = express();
      app.use(customDomains(domains));
      app.use(gateway);
      const root = await request(app).get('/pets/1').set('Host', 'api.example.com');
      expect(root.status).toBe(200);
      expect(JSON.parse(root.text)).toMatchObject({
        path: '/pets/1',
        requestContext: { stage: 'prod', domainName: 'api.example.com' },
      });
      const v1 = await request(app).get('/v1/pets/1').set('Host', 'api.example.com');
      expect(JSON.parse(v1.text)).toMatchObject({ path: '/v1/pets/1', resource: '/pets/{id}' });
      const direct = await request(app).get('/prod/pets/1');
      expect(direct.status).toBe(403);
      expect(direct.text).toBe('{"message":"Forbidden"}');
    });

    it('serves a CloudFormation domain: v1/orders, orders, and a stageless mapping with the stage in the path', async () => {
      const logger = silentLogger();
      const gateway = apiGateway({ template: cfnTemplate, functions: { OrdersFunction: echo }, logger });
      await gateway.ready;
      const app = express();
      app.use(
        customDomains(
          definitionDomains(
            await readDomainMappings({ template: cfnTemplate }),
            { restApiId: 'Api', stages: new Map([['live', gateway]]) },
            logger,
          ),
        ),
      );
      const agent = request(app);
      const nested = await agent.get('/v1/orders/5').set('Host', 'shop.example.com');
      expect(JSON.parse(nested.text)).toMatchObject({
        path: '/v1/orders/5',
        resource: '/{orderId}',
        requestContext: { stage: 'live' },
      });
      const one = await agent.get('/orders/6').set('Host', 'shop.example.com');
      expect(JSON.parse(one.text)).toMatchObject({ path: '/orders/6', pathParameters: { orderId: '6' } });
      const stageless = await agent.get('/any/live/7').set('Host', 'shop.example.com');
      expect(JSON.parse(stageless.text)).toMatchObject({
        path: '/any/live/7',
        requestContext: { path: '/any/live/7' },
      });
      // The template's domain types are read here, not named unsupported by the import.
      expect(JSON.stringify(logger.calls)).not.toContain('BasePathMapping');
    });
  },
);

describe('definitionDomainNames', () => {
  it("maps the definition's domains to the gateway serving it", async () => {
    const gateway = apiGateway({ serverless, functions: { pets: echo }, logger: silentLogger() });
    const domains = await definitionDomainNames({ serverless }, gateway, silentLogger());
    expect(domains).toEqual({
      'api.example.com': { mappings: { pets: gateway } },
      'v2.example.com': { mappings: { 'v1/pets': gateway } },
    });
    const res = await request(customDomains(domains)).get('/v1/pets/pets/3').set('Host', 'v2.example.com');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ path: '/v1/pets/pets/3', requestContext: { stage: 'dev' } });
  });
});

describe('definitionDomains', () => {
  it('leaves out, with a warning, mappings to another API or to a stage not served', () => {
    const gateway = apiGateway({
      resources: { '/': { GET: { integration: { type: 'MOCK' } } } },
      logger: silentLogger(),
    });
    const logger = silentLogger();
    const domains = definitionDomains(
      [
        {
          domainName: 'a.example.com',
          basePath: 'x',
          restApiId: 'Other',
          stage: 'prod',
          where: 'Resources.M1.Properties',
        },
        {
          domainName: 'a.example.com',
          basePath: 'y',
          restApiId: 'Api',
          stage: 'dev',
          where: 'Resources.M2.Properties',
        },
        {
          domainName: 'a.example.com',
          basePath: '',
          restApiId: 'Api',
          stage: 'prod',
          where: 'Resources.M3.Properties',
        },
      ],
      { restApiId: 'Api', stages: new Map([['prod', gateway]]) },
      logger,
    );
    expect(domains).toEqual({ 'a.example.com': { mappings: { '(none)': gateway } } });
    expect(logger.calls.map((c) => c.args[0])).toEqual([
      'apigw-express: Resources.M1.Properties: maps a.example.com/x to Other, not the API served (Api); left out',
      'apigw-express: Resources.M2.Properties: maps a.example.com/y to stage dev, which is not served; left out',
    ]);
  });
});

describe('disableDefaultEndpoint in serverless.yml', () => {
  it('turns the execute-api URL off', async () => {
    const gateway = apiGateway({ serverless, functions: { pets: echo }, logger: silentLogger() });
    await gateway.ready;
    const res = await request(
      (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) =>
        gateway(req, res),
    ).get('/dev/pets/1');
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('ForbiddenException');
  });
});
