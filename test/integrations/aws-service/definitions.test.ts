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
    const res = await request(app).post('/prod/notes').send({ id: `n-${_v}`, text: 'hello' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(
      await dynamodb(ddb.url, 'GetItem', { TableName: 'Notes', Key: { id: { S: `n-${_v}` } } }),
    ).toEqual({ Item: { id: { S: `n-${_v}` }, text: { S: 'hello' } } });
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
