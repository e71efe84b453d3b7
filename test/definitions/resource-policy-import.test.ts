import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { importOpenApi } from '../../src/definitions/openapi-import.js';
import { importSam } from '../../src/definitions/sam-import.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent } from '../support/echo-function.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/definitions');
const EXPLICIT_SAM = path.join(FIXTURES, 'sam/explicit-api/template.yaml');
const CDK_TEMPLATE = path.join(FIXTURES, 'sam/cdk/cdk.out/BooksStack.template.json');
const ctx = { baseDir: FIXTURES, logger: silentLogger() };

const ipPolicy = (operator: string, cidrs: unknown) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { [operator]: { 'aws:SourceIp': cidrs } },
    },
  ],
});

const LAMBDA_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations';
const openapi = (policy: unknown) => ({
  openapi: '3.0.1',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': {
      get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_URI } },
    },
  },
  'x-amazon-apigateway-policy': policy,
});

const serverless = (resourcePolicy: unknown) => ({
  service: 'pets',
  provider: { name: 'aws', apiGateway: { resourcePolicy } },
  functions: { echo: { handler: 'handler.echo', events: [{ http: 'GET pets' }] } },
});

const cdkTemplate = (policy: unknown) => {
  const template = JSON.parse(readFileSync(CDK_TEMPLATE, 'utf8'));
  template.Parameters = { ...template.Parameters, AllowedCidr: { Type: 'String', Default: '127.0.0.1/32' } };
  template.Resources.BooksApi7D3C4B85.Properties.Policy = policy;
  return template;
};

/** A minimal SAM function with one Api event, its Auth as given. */
const samTemplate = (eventAuth: unknown, apiAuth?: unknown) => ({
  Transform: 'AWS::Serverless-2016-10-31',
  Resources: {
    Api: {
      Type: 'AWS::Serverless::Api',
      Properties: { StageName: 'live', ...(apiAuth ? { Auth: apiAuth } : {}) },
    },
    echo: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Events: {
          Get: {
            Type: 'Api',
            Properties: { RestApiId: { Ref: 'Api' }, Path: '/pets/{id}', Method: 'get', Auth: eventAuth },
          },
          Post: {
            Type: 'Api',
            Properties: { RestApiId: { Ref: 'Api' }, Path: '/pets/{id}', Method: 'post' },
          },
        },
      },
    },
  },
});

describe('resource policies from definitions, imported', () => {
  it('OpenAPI: x-amazon-apigateway-policy becomes resourcePolicy, not a warning', async () => {
    const policy = ipPolicy('NotIpAddress', '10.0.0.0/8');
    const { options, unsupported } = await importOpenApi(openapi(policy), ctx);
    expect(options.resourcePolicy).toEqual(policy);
    expect(unsupported).toEqual([]);
  });

  it('CloudFormation: the RestApi Policy (intrinsics resolved) wins, and "" is no policy', async () => {
    const policy = ipPolicy('NotIpAddress', [{ Ref: 'AllowedCidr' }]);
    const { options, unsupported } = await importSam(cdkTemplate(policy), ctx);
    expect(options.resourcePolicy).toEqual(ipPolicy('NotIpAddress', ['127.0.0.1/32']));
    expect(unsupported.filter((u) => u.includes('Policy'))).toEqual([]);
    expect((await importSam(cdkTemplate(''), ctx)).options.resourcePolicy).toBeUndefined();
    const text = JSON.stringify(ipPolicy('IpAddress', '10.0.0.0/8'));
    expect((await importSam(cdkTemplate(text), ctx)).options.resourcePolicy).toBe(text);
  });

  it('serverless.yml: provider.apiGateway.resourcePolicy is the Statement list of a 2012-10-17 policy', async () => {
    const statements = ipPolicy('IpAddress', ['10.0.0.0/8']).Statement;
    const { options, unsupported } = await importServerless(serverless(statements), ctx);
    expect(options.resourcePolicy).toEqual({ Version: '2012-10-17', Statement: statements });
    expect(unsupported).toEqual([]);
    expect((await importServerless(serverless([]), ctx)).options.resourcePolicy).toBeUndefined();
  });

  it('SAM: the API-wide Auth.ResourcePolicy covers every method of every path, Cors preflights included', async () => {
    const { options, unsupported } = await importSam(EXPLICIT_SAM, {
      ...ctx,
      baseDir: path.dirname(EXPLICIT_SAM),
    });
    // Domain is customDomains()' to serve (readDomainMappings reads it), not a gap of the import.
    expect(unsupported).toEqual([]);
    const pair = (resources: string[]) => [
      { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' },
      {
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Resource: resources,
        Principal: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1'] } },
      },
    ];
    expect(options.resourcePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        ...pair(['execute-api:/v1/GET/orders', 'execute-api:/v1/OPTIONS/orders']),
        ...pair(['execute-api:/v1/*/partner/*', 'execute-api:/v1/OPTIONS/partner/*']),
        ...pair(['execute-api:/v1/GET/health', 'execute-api:/v1/OPTIONS/health']),
      ],
    });
  });

  it('SAM: an event’s ResourcePolicy (blacklist, accounts, VPC lists, CustomStatements) covers its path’s methods', async () => {
    const custom = {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*/DELETE/*',
    };
    const { options } = await importSam(
      samTemplate({
        ResourcePolicy: {
          IpRangeBlacklist: ['203.0.113.0/24'],
          AwsAccountWhitelist: ['444455556666'],
          SourceVpcWhitelist: ['vpc-1111', 'vpce-2222'],
          CustomStatements: [custom],
        },
      }),
      ctx,
    );
    const resources = ['execute-api:/live/GET/pets/*', 'execute-api:/live/POST/pets/*'];
    const allowAll = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' };
    expect(options.resourcePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: resources,
          Principal: { AWS: ['444455556666'] },
        },
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpc': ['vpc-1111'], 'aws:SourceVpce': ['vpce-2222'] } },
        },
        custom,
      ],
    });
  });

  it('SAM: an event’s ResourcePolicy applies to a method the DefinitionBody already has, after the body’s own policy', async () => {
    const template = samTemplate({ ResourcePolicy: { IpRangeBlacklist: ['203.0.113.0/24'] } });
    const bodyStatement = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    };
    template.Resources.Api.Properties = {
      ...template.Resources.Api.Properties,
      DefinitionBody: {
        ...openapi({ Version: '2012-10-17', Statement: [bodyStatement] }),
        paths: {
          '/pets/{id}': {
            get: {
              'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_URI },
            },
          },
        },
      },
    } as never;
    const { options } = await importSam(template, ctx);
    const resources = ['execute-api:/live/GET/pets/*', 'execute-api:/live/POST/pets/*'];
    expect(options.resourcePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        bodyStatement,
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: resources,
          Principal: '*',
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
      ],
    });
  });

  it('SAM: an unknown ResourcePolicy field is a ConfigError naming it', async () => {
    await expect(
      importSam(samTemplate({ ResourcePolicy: { IpWhitelist: ['1.2.3.4'] } }), ctx),
    ).rejects.toThrow(/Auth\.ResourcePolicy: unknown field "IpWhitelist"/);
  });
});

describe.each(EXPRESS_VERSIONS)(
  'resource policies from definitions, enforced (Express %s)',
  (_v, express) => {
    async function serve(options: ApiGatewayOptions) {
      const gateway = apiGateway({ logger: silentLogger(), ...options });
      await gateway.ready;
      const app = express();
      app.use(gateway);
      return app;
    }

    it('OpenAPI: a Deny for the caller’s address refuses, an Allow lets in', async () => {
      const denied = await serve({
        openapi: openapi(ipPolicy('IpAddress', ['127.0.0.0/8', '::1']) as never),
        functions: { echo: echoEvent },
      });
      const res = await request(denied).get('/prod/pets');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.body.Message).toMatch(
        /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}\d{4}:\w+\/prod\/GET\/pets with an explicit deny$/,
      );
      const allowed = await serve({
        openapi: openapi(ipPolicy('NotIpAddress', ['127.0.0.0/8', '::1'])) as never,
        functions: { echo: echoEvent },
      });
      expect((await request(allowed).get('/prod/pets')).status).toBe(200);
    });

    it('CloudFormation: the Policy, with a parameter override, decides', async () => {
      const functions = { BooksHandler0F8C1A57: echoEvent, TokenAuthorizerFnE1B2C3D4: echoEvent };
      const template = cdkTemplate(ipPolicy('NotIpAddress', [{ Ref: 'AllowedCidr' }]));
      expect((await request(await serve({ template, functions })).get('/prod/')).status).toBe(200);
      const elsewhere = await serve({
        template,
        functions,
        parameterOverrides: { AllowedCidr: '203.0.113.0/24' },
      });
      expect((await request(elsewhere).get('/prod/')).status).toBe(403);
    });

    it('serverless.yml: the statements decide', async () => {
      const allowHere = [
        { ...ipPolicy('x', []).Statement[0], Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.1'] } } },
      ];
      const app = await serve({ serverless: serverless(allowHere), functions: { echo: echoEvent } });
      expect((await request(app).get('/dev/pets')).status).toBe(200);
      const elsewhere = [{ ...allowHere[0], Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.9'] } } }];
      const closed = await serve({ serverless: serverless(elsewhere), functions: { echo: echoEvent } });
      expect((await request(closed).get('/dev/pets')).status).toBe(403);
    });

    it('SAM: an event’s whitelist guards its path; a VPC list refuses to start until resourcePolicyContext maps it', async () => {
      const functions = { echo: echoEvent };
      const here = await serve({
        template: samTemplate({ ResourcePolicy: { IpRangeWhitelist: ['127.0.0.1'] } }),
        functions,
      });
      expect((await request(here).get('/live/pets/1')).status).toBe(200);
      const elsewhere = await serve({
        template: samTemplate({ ResourcePolicy: { IpRangeWhitelist: ['10.0.0.0/8'] } }),
        functions,
      });
      expect((await request(elsewhere).get('/live/pets/1')).status).toBe(403);
      expect((await request(elsewhere).post('/live/pets/1')).status).toBe(403); // the path's other method too

      const vpc = samTemplate({ ResourcePolicy: { SourceVpcWhitelist: ['vpce-2222'] } });
      await expect(serve({ template: vpc, functions })).rejects.toThrow(
        /aws:SourceVpce.*resourcePolicyContext/,
      );
      const mapped = await serve({
        template: vpc,
        functions,
        resourcePolicyContext: { 'aws:SourceVpce': 'vpce-2222' },
      });
      expect((await request(mapped).get('/live/pets/1')).status).toBe(200);
    });
  },
);

describe('SAM IpRangeWhitelist keeps out a client it does not list', () => {
  it('refuses an IPv6 loopback client with an explicit deny, before the authorizer', async () => {
    const calls: unknown[] = [];
    const authorizer = async (event: unknown) => {
      calls.push(event);
      throw new Error('Unauthorized');
    };
    const gateway = apiGateway({
      template: EXPLICIT_SAM,
      logger: silentLogger(),
      functions: { OrdersFunction: echoEvent, 'partner-authorizer': authorizer },
    });
    await gateway.ready;
    const server = createServer(gateway as never);
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    try {
      const res = await request(`http://[::1]:${(server.address() as AddressInfo).port}`).get('/v1/health');
      expect(res.status).toBe(403);
      expect(res.body.Message).toMatch(
        /^User: anonymous is not authorized .*\/v1\/GET\/health with an explicit deny$/,
      );
      const partner = await request(`http://[::1]:${(server.address() as AddressInfo).port}`)
        .get('/v1/partner/a?tenant=t')
        .set('X-Partner', 'acme');
      expect(partner.status).toBe(403);
      expect(calls).toEqual([]);
    } finally {
      server.close();
    }
  });
});
