// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not template literals
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { IntrinsicResolver } from '../../src/definitions/cloudformation/intrinsics.js';
import { generatedName, nameSuffix } from '../../src/definitions/cloudformation/resource-values.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// A handler that answers with the variables its function was given.
let codeDir: string;
beforeAll(() => {
  codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-values-'));
  fs.writeFileSync(
    path.join(codeDir, 'env.js'),
    `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify(Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k.startsWith('V_')))) });`,
  );
});
afterAll(() => fs.rmSync(codeDir, { recursive: true, force: true }));
// Functions' variables go into process.env, where an existing value wins: start each test clean.
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('V_')) delete process.env[key];
});

function samTemplate(variables: Record<string, unknown>, resources: Record<string, unknown>) {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      ...resources,
      EnvFunction: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: 'env.handler',
          Runtime: 'nodejs20.x',
          CodeUri: codeDir,
          Environment: { Variables: variables },
          Events: { Get: { Type: 'Api', Properties: { Path: '/env', Method: get } } },
        },
      },
    },
  };
}
const get = 'get';

async function environmentOf(template: Record<string, unknown>, options: Record<string, unknown> = {}) {
  const logger = silentLogger();
  const gateway = apiGateway({ template, logger, ...options });
  await gateway.ready;
  try {
    const res = await request(gateway).get('/Prod/env');
    expect(res.status).toBe(200);
    return { env: JSON.parse(res.text) as Record<string, string>, logger };
  } finally {
    await gateway.close();
  }
}

describe("Ref and Fn::GetAtt of a template's resources in a function's environment", () => {
  it('gives a named table its TableName, and its Arn', async () => {
    const { env } = await environmentOf(
      samTemplate(
        { V_TABLE: { Ref: 'Items' }, V_ARN: { 'Fn::GetAtt': ['Items', 'Arn'] } },
        { Items: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'items' } } },
      ),
    );
    expect(env).toEqual({
      V_TABLE: 'items',
      V_ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/items',
    });
  });

  it("gives each known type AWS's values, names generated from the stack name when none is given", async () => {
    const suffix = (id: string) => nameSuffix('shop', id);
    const { env, logger } = await environmentOf(
      samTemplate(
        {
          V_TABLE: { Ref: 'Orders' },
          V_STREAM: { 'Fn::GetAtt': ['Orders', 'StreamArn'] },
          V_SIMPLE: { Ref: 'Simple' },
          V_BUCKET: { Ref: 'Uploads' },
          V_BUCKET_ARN: { 'Fn::GetAtt': ['Uploads', 'Arn'] },
          V_BUCKET_DOMAIN: { 'Fn::GetAtt': ['Uploads', 'DomainName'] },
          V_BUCKET_REGIONAL: { 'Fn::GetAtt': ['Uploads', 'RegionalDomainName'] },
          V_BUCKET_WEBSITE: { 'Fn::GetAtt': ['Uploads', 'WebsiteURL'] },
          V_QUEUE: { Ref: 'Jobs' },
          V_QUEUE_ARN: { 'Fn::GetAtt': ['Jobs', 'Arn'] },
          V_QUEUE_NAME: { 'Fn::GetAtt': ['Jobs', 'QueueName'] },
          V_FIFO: { 'Fn::GetAtt': ['Ordered', 'QueueName'] },
          V_TOPIC: { Ref: 'Events' },
          V_TOPIC_NAME: { 'Fn::GetAtt': ['Events', 'TopicName'] },
          V_SECRET: { Ref: 'ApiSecret' },
          V_PARAM: { Ref: 'Setting' },
          V_PARAM_VALUE: { 'Fn::GetAtt': ['Setting', 'Value'] },
          V_FUNCTION: { Ref: 'Worker' },
          V_FUNCTION_ARN: { 'Fn::GetAtt': ['Worker', 'Arn'] },
          V_POOL: { Ref: 'Users' },
          V_POOL_URL: { 'Fn::GetAtt': ['Users', 'ProviderURL'] },
          V_CLIENT: { Ref: 'UsersClient' },
          V_MACHINE: { Ref: 'Flow' },
          V_MACHINE_NAME: { 'Fn::GetAtt': ['Flow', 'Name'] },
          V_BUS: { Ref: 'Bus' },
          V_BUS_ARN: { 'Fn::GetAtt': ['Bus', 'Arn'] },
          V_SUB: { 'Fn::Sub': '${Jobs.QueueName}@${AWS::StackName}' },
        },
        {
          Orders: {
            Type: 'AWS::DynamoDB::Table',
            Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
          },
          Simple: { Type: 'AWS::Serverless::SimpleTable' },
          Uploads: { Type: 'AWS::S3::Bucket' },
          Jobs: { Type: 'AWS::SQS::Queue' },
          Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
          Events: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events' } },
          ApiSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'api-key' } },
          Setting: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } },
          Worker: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'worker' } },
          Users: { Type: 'AWS::Cognito::UserPool' },
          UsersClient: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Users' } } },
          Flow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'flow' } },
          Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'bus' } },
        },
      ),
      { stackName: 'shop', region: 'eu-west-1', accountId: '111122223333' },
    );
    const orders = `shop-Orders-${suffix('Orders')}`;
    const jobs = `shop-Jobs-${suffix('Jobs')}`;
    const bucket = `shop-uploads-${suffix('Uploads').toLowerCase()}`;
    expect(env).toEqual({
      V_TABLE: orders,
      V_STREAM: `arn:aws:dynamodb:eu-west-1:111122223333:table/${orders}/stream/1970-01-01T00:00:00.000`,
      V_SIMPLE: `shop-Simple-${suffix('Simple')}`,
      V_BUCKET: bucket,
      V_BUCKET_ARN: `arn:aws:s3:::${bucket}`,
      V_BUCKET_DOMAIN: `${bucket}.s3.amazonaws.com`,
      V_BUCKET_REGIONAL: `${bucket}.s3.eu-west-1.amazonaws.com`,
      V_BUCKET_WEBSITE: `http://${bucket}.s3-website-eu-west-1.amazonaws.com`,
      V_QUEUE: `https://sqs.eu-west-1.amazonaws.com/111122223333/${jobs}`,
      V_QUEUE_ARN: `arn:aws:sqs:eu-west-1:111122223333:${jobs}`,
      V_QUEUE_NAME: jobs,
      V_FIFO: `shop-Ordered-${suffix('Ordered')}.fifo`,
      V_TOPIC: 'arn:aws:sns:eu-west-1:111122223333:events',
      V_TOPIC_NAME: 'events',
      V_SECRET: expect.stringMatching(
        /^arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-[a-z0-9]{6}$/,
      ),
      V_PARAM: `CFN-Setting-${suffix('Setting')}`,
      V_PARAM_VALUE: 'on',
      V_FUNCTION: 'worker',
      V_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:worker',
      V_POOL: 'eu-west-1_Users',
      V_POOL_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Users',
      V_CLIENT: expect.stringMatching(/^[a-z0-9]{26}$/),
      V_MACHINE: 'arn:aws:states:eu-west-1:111122223333:stateMachine:flow',
      V_MACHINE_NAME: 'flow',
      V_BUS: 'bus',
      V_BUS_ARN: 'arn:aws:events:eu-west-1:111122223333:event-bus/bus',
      V_SUB: `${jobs}@shop`,
    });
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    expect(warnings.filter((w) => w.includes('function environments'))).toEqual([]);
  });

  it('warns, naming the resource, type and attribute, where a value is not known here', async () => {
    const { env, logger } = await environmentOf(
      samTemplate(
        {
          V_KEY: { Ref: 'Key' },
          V_KEY_ARN: { 'Fn::GetAtt': ['Key', 'Arn'] },
          V_STREAM: { 'Fn::GetAtt': ['Plain', 'StreamArn'] },
        },
        {
          Key: { Type: 'AWS::KMS::Key' },
          Plain: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'plain' } },
        },
      ),
    );
    expect(env).toEqual({ V_KEY: 'Key', V_KEY_ARN: 'Key.Arn', V_STREAM: 'Plain.StreamArn' });
    const warnings = logger.calls
      .filter((c) => c.level === 'warn')
      .map((c) => String(c.args[0]))
      .join('\n');
    expect(warnings).toContain(
      'Resources.EnvFunction.Properties.Environment.Variables.V_KEY.Ref: Ref Key (AWS::KMS::Key): not known here, the function gets "Key"',
    );
    expect(warnings).toContain('Fn::GetAtt Key.Arn (AWS::KMS::Key)');
    // A table without StreamSpecification has no stream.
    expect(warnings).toContain('Fn::GetAtt Plain.StreamArn (AWS::DynamoDB::Table) (known: Arn)');
  });

  it("keeps a function's Ref its logical id outside environments, where integrations name it", () => {
    const template = {
      Resources: { Worker: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'worker' } } },
    };
    const resolver = new IntrinsicResolver(template);
    expect(resolver.resolve({ Ref: 'Worker' }, 'x')).toBe('Worker');
    expect(resolver.forEnvironment().resolve({ Ref: 'Worker' }, 'x')).toBe('worker');
  });

  it('refuses a name that refers back to its own resource', () => {
    const template = {
      Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'T' } } } },
    };
    expect(() => new IntrinsicResolver(template).resolve({ Ref: 'T' }, 'x')).toThrow(/circular/);
  });
});

describe('names CloudFormation generates', () => {
  it('cuts the stack name first to fit the longest name, as a Lambda function of a nested stack shows', () => {
    const name = generatedName(
      'AWS::Lambda::Function',
      'MyStackDev-MyNestedApplicationStack',
      'MyLambdaFunctionName',
    );
    expect(name).toMatch(/^MyStackDev-MyNestedApplicatio-MyLambdaFunctionName-[A-Z0-9]{13}$/);
    expect(name).toHaveLength(64);
  });

  it('lower-cases bucket names', () => {
    expect(generatedName('AWS::S3::Bucket', 'My-Stack', 'Logs')).toMatch(/^my-stack-logs-[a-z0-9]{13}$/);
  });

  it('gives the same name for the same stack and logical id, another for another stack', () => {
    expect(generatedName('AWS::SQS::Queue', 'a', 'Q')).toBe(generatedName('AWS::SQS::Queue', 'a', 'Q'));
    expect(generatedName('AWS::SQS::Queue', 'a', 'Q')).not.toBe(generatedName('AWS::SQS::Queue', 'b', 'Q'));
  });

  it('stays within each type and keeps its suffix, whatever the stack name and logical id', () => {
    const maxLength: Record<string, number> = {
      'AWS::S3::Bucket': 63,
      'AWS::Lambda::Function': 64,
      'AWS::SQS::Queue': 80,
      'AWS::StepFunctions::StateMachine': 80,
      'AWS::DynamoDB::Table': 255,
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(maxLength)),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,127}$/),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,254}$/),
        (type, stack, id) => {
          const name = generatedName(type, stack, id);
          expect(name.length).toBeLessThanOrEqual(maxLength[type] as number);
          const suffix = nameSuffix(stack, id);
          expect(name.endsWith(`-${type === 'AWS::S3::Bucket' ? suffix.toLowerCase() : suffix}`)).toBe(true);
        },
      ),
    );
  });
});

describe("CloudFormation references in a serverless.yml function's environment", () => {
  it('resolves them over the service’s resources and functions, in the stack <service>-<stage>', async () => {
    const logger = silentLogger();
    const { options } = await importServerless(
      {
        service: 'shop',
        provider: {
          name: 'aws',
          runtime: 'nodejs20.x',
          stage: 'dev',
          region: 'eu-west-1',
          environment: { USERS: { Ref: 'UsersTable' } },
        },
        functions: {
          api: {
            handler: 'api.handler',
            environment: {
              QUEUE: { Ref: 'Jobs' },
              WORKER: { Ref: 'WorkerLambdaFunction' },
              KEY: { 'Fn::GetAtt': ['Key', 'Arn'] },
            },
            events: [{ http: { path: '/x', method: 'get' } }],
          },
          worker: { handler: 'worker.handler' },
        },
        resources: {
          Resources: {
            UsersTable: {
              Type: 'AWS::DynamoDB::Table',
              Properties: { TableName: '${self:service}-users-${self:provider.stage}' },
            },
            Jobs: { Type: 'AWS::SQS::Queue' },
            Key: { Type: 'AWS::KMS::Key' },
          },
        },
      },
      { baseDir: codeDir, logger, accountId: '111122223333' },
    );
    expect(options.functions?.api).toMatchObject({
      environment: {
        USERS: 'shop-users-dev',
        QUEUE: `https://sqs.eu-west-1.amazonaws.com/111122223333/shop-dev-Jobs-${nameSuffix('shop-dev', 'Jobs')}`,
        WORKER: 'shop-dev-worker',
        KEY: 'Key.Arn',
      },
    });
    expect(logger.calls.map((c) => String(c.args[0])).join('\n')).toContain(
      'functions.api.environment.KEY.Fn::GetAtt: Fn::GetAtt Key.Arn (AWS::KMS::Key): not known here, the function gets "Key.Arn"',
    );
  });
});
