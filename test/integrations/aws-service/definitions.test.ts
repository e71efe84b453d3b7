// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not template literals
import request from 'supertest';
import { createApp, EXPRESS_VERSIONS } from '../../support/create-app.js';
import { dynamodb, type LocalService, startDynalite } from '../../support/local-aws.js';
import { type SigningServer, startSigningServer } from '../../support/signing-server.js';

const KEYS = { accessKeyId: 'AKIDDEF', secretAccessKey: 'definition-secret' };

const putTemplate =
  '{"TableName": "Notes", "Item": {"id": {"S": "$input.path(\'$.id\')"}, "text": {"S": "$input.path(\'$.text\')"}}}';

describe.each(EXPRESS_VERSIONS)('AWS service integrations from definitions on Express %s', (_v, express) => {
  let ddb: LocalService;
  let service: SigningServer;
  beforeAll(async () => {
    ddb = await startDynalite();
    await dynamodb(ddb.url, 'CreateTable', {
      TableName: 'Notes',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    service = await startSigningServer({ [KEYS.accessKeyId]: KEYS.secretAccessKey });
  });
  afterAll(async () => {
    await ddb.close();
    await service.close();
  });

  it('CloudFormation: Integration Type AWS with an Fn::Sub DynamoDB uri writes through to the table', async () => {
    const app = createApp(
      {
        region: 'eu-west-1',
        awsServiceCredentials: KEYS,
        awsEndpoints: { dynamodb: ddb.url },
        template: {
          Resources: {
            Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'notes' } },
            Notes: {
              Type: 'AWS::ApiGateway::Resource',
              Properties: {
                RestApiId: { Ref: 'Api' },
                ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
                PathPart: 'notes',
              },
            },
            PostNote: {
              Type: 'AWS::ApiGateway::Method',
              Properties: {
                RestApiId: { Ref: 'Api' },
                ResourceId: { Ref: 'Notes' },
                HttpMethod: 'POST',
                AuthorizationType: 'NONE',
                Integration: {
                  Type: 'AWS',
                  IntegrationHttpMethod: 'POST',
                  Uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:dynamodb:action/PutItem' },
                  Credentials: 'arn:aws:iam::123456789012:role/notes-writer',
                  RequestTemplates: { 'application/json': putTemplate },
                  IntegrationResponses: [
                    { StatusCode: '200', ResponseTemplates: { 'application/json': '{"ok": true}' } },
                  ],
                },
                MethodResponses: [{ StatusCode: '200' }],
              },
            },
          },
        },
      },
      express,
    );
    const res = await request(app)
      .post('/prod/notes')
      .send({ id: `n-${_v}`, text: 'hello' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await dynamodb(ddb.url, 'GetItem', { TableName: 'Notes', Key: { id: { S: `n-${_v}` } } })).toEqual(
      { Item: { id: { S: `n-${_v}` }, text: { S: 'hello' } } },
    );
  });

  // The shape serverless-apigateway-service-proxy compiles an `sqs` proxy to
  // (lib/package/sqs/compileMethodsToSqs.js): path//{account}/{queue}, Action and MessageBody as
  // query strings, numeric selection patterns.
  it('CloudFormation: the SQS proxy the serverless service-proxy plugin writes, its 400 selected by status', async () => {
    service.requests.length = 0;
    service.answer = (req, res) => {
      res.statusCode = req.query.MessageBody === '' ? 400 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(
        res.statusCode === 400 ? '{"Error":{"Code":"MissingParameter"}}' : '{"SendMessageResponse":{}}',
      );
    };
    const response = (code: number) => ({
      StatusCode: code,
      SelectionPattern: code,
      ResponseParameters: {},
      ResponseTemplates: {},
    });
    const app = createApp(
      {
        accountId: '111122223333',
        awsServiceCredentials: KEYS,
        awsEndpoints: { sqs: service.url },
        template: {
          Resources: {
            Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'queue' } },
            Queue: {
              Type: 'AWS::ApiGateway::Resource',
              Properties: {
                RestApiId: { Ref: 'Api' },
                ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
                PathPart: 'sqs',
              },
            },
            PostSqs: {
              Type: 'AWS::ApiGateway::Method',
              Properties: {
                RestApiId: { Ref: 'Api' },
                ResourceId: { Ref: 'Queue' },
                HttpMethod: 'POST',
                AuthorizationType: 'NONE',
                Integration: {
                  IntegrationHttpMethod: 'POST',
                  Type: 'AWS',
                  Credentials: 'arn:aws:iam::111122223333:role/ApigatewayToSqsRole',
                  Uri: {
                    'Fn::Sub': [
                      'arn:${AWS::Partition}:apigateway:${AWS::Region}:sqs:path//${AWS::AccountId}/${queueName}',
                      { queueName: 'jobs' },
                    ],
                  },
                  RequestParameters: {
                    'integration.request.querystring.Action': "'SendMessage'",
                    'integration.request.querystring.MessageBody': 'method.request.body',
                  },
                  RequestTemplates: { 'application/json': '{statusCode:200}' },
                  IntegrationResponses: [response(200), response(400), response(500)],
                },
                MethodResponses: [{ StatusCode: 200 }, { StatusCode: 400 }, { StatusCode: 500 }],
              },
            },
          },
        },
      },
      express,
    );
    const ok = await request(app).post('/prod/sqs').send({ job: 1 });
    expect(ok.status).toBe(200);
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.path).toBe('//111122223333/jobs');
    expect(sent.query).toEqual({ Action: 'SendMessage', MessageBody: '{"job":1}' });
    expect(sent.body.toString()).toBe('{statusCode:200}');
    const bad = await request(app).post('/prod/sqs').set('Content-Type', 'application/json').send('');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ Error: { Code: 'MissingParameter' } });
  });

  it('OpenAPI: x-amazon-apigateway-integration type aws with a states action uri starts an execution', async () => {
    service.requests.length = 0;
    const app = createApp(
      {
        awsServiceCredentials: KEYS,
        awsEndpoints: { states: service.url },
        openapi: {
          openapi: '3.0.1',
          info: { title: 'flows', version: '1' },
          paths: {
            '/run': {
              post: {
                responses: { '200': { description: 'started' } },
                'x-amazon-apigateway-integration': {
                  type: 'aws',
                  httpMethod: 'POST',
                  uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
                  credentials: 'arn:aws:iam::123456789012:role/flows',
                  passthroughBehavior: 'when_no_templates',
                  responses: { default: { statusCode: '200' } },
                },
              },
            },
          },
        },
      },
      express,
    );
    const body = { input: '{}', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M' };
    const res = await request(app).post('/prod/run').send(body);
    expect(res.status).toBe(200);
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(JSON.parse(sent.body.toString())).toEqual(body);
  });
});
