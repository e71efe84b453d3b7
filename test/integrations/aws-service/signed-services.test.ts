// biome-ignore-all lint/suspicious/noTemplateCurlyInString: integration uris with stage variables, not template literals
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { ApiGatewayOptions, Integration, MethodResponse } from '../../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../../support/create-app.js';
import { type SigningServer, startSigningServer } from '../../support/signing-server.js';

const KEY = 'AKIDSERVICETEST';
const SECRET = 'service-secret/with+chars';
const NOW = Date.UTC(2026, 11, 7, 5, 30, 0);
const ROLE = 'arn:aws:iam::123456789012:role/apigw-service-role';

function api(
  path: string,
  integration: Omit<Integration, 'type'>,
  extra: Partial<ApiGatewayOptions> = {},
  methodResponses: MethodResponse[] = [{ statusCode: '200' }],
): ApiGatewayOptions {
  return {
    resources: { [path]: { POST: { integration: { type: 'AWS', ...integration }, methodResponses } } },
    awsServiceCredentials: { accessKeyId: KEY, secretAccessKey: SECRET },
    clock: () => NOW,
    ...extra,
  };
}

describe.each(EXPRESS_VERSIONS)('AWS service integrations, signed, on Express %s', (_v, express) => {
  let service: SigningServer;
  const endpoints = () => ({
    awsEndpoints: { sqs: service.url, sns: service.url, states: service.url, events: service.url },
  });
  beforeEach(async () => {
    service = await startSigningServer({ [KEY]: SECRET });
  });
  afterEach(() => service.close());

  it('API → SQS SendMessage: form-encoded Action=SendMessage on the queue path, signed for sqs', async () => {
    service.answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        '{"SendMessageResponse":{"ResponseMetadata":{"RequestId":"r-1"},"SendMessageResult":{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e274"}}}',
      );
    };
    const app = createApp(
      api(
        '/orders',
        {
          uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders',
          httpMethod: 'POST',
          credentials: ROLE,
          requestParameters: {
            'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
          },
          requestTemplates: {
            'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
          },
          integrationResponses: [{ statusCode: '200' }],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/orders').send({ id: 'o-1', total: 12.5 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.SendMessageResponse.SendMessageResult).toEqual({
      MessageId: '5fea7756-0ea4-451a-a703-a558b933e274',
    });
    expect(service.requests).toHaveLength(1);
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.credentialScope).toBe('20261207/us-east-1/sqs/aws4_request');
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/123456789012/orders');
    expect(sent.query).toEqual({});
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.headers.accept).toBe('application/json');
    expect(sent.headers['x-amz-date']).toBe('20261207T053000Z');
    expect(sent.body.toString()).toBe(
      `Action=SendMessage&MessageBody=${encodeURIComponent('{"id":"o-1","total":12.5}')}`,
    );
  });

  it('API → SNS Publish (action URI): Action=Publish in the query string, the template as the body', async () => {
    service.answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"PublishResponse":{"PublishResult":{"MessageId":"m-1"}}}');
    };
    const app = createApp(
      api(
        '/alerts',
        {
          uri: 'arn:aws:apigateway:us-east-1:sns:action/Publish',
          httpMethod: 'POST',
          credentials: ROLE,
          requestParameters: {
            'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
            'integration.request.querystring.TopicArn': "'arn:aws:sns:us-east-1:123456789012:alerts'",
          },
          requestTemplates: { 'application/json': "Message=$util.urlEncode($input.path('$.text'))" },
          integrationResponses: [{ statusCode: '200' }],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/alerts').send({ text: 'disk full: 95%' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ PublishResponse: { PublishResult: { MessageId: 'm-1' } } });
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.credentialScope).toBe('20261207/us-east-1/sns/aws4_request');
    expect(sent.path).toBe('/');
    expect(sent.query).toEqual({ Action: 'Publish', TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' });
    expect(sent.body.toString()).toBe('Message=disk+full%3A+95%25');
  });

  it('API → Step Functions StartExecution: X-Amz-Target AWSStepFunctions.StartExecution, JSON 1.0', async () => {
    service.answer = (_req, res) => {
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(
        '{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:Orders:e-1","startDate":1.796708E9}',
      );
    };
    const app = createApp(
      api(
        '/executions',
        {
          uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
          httpMethod: 'POST',
          credentials: ROLE,
          requestTemplates: {
            'application/json':
              '{"input": "$util.escapeJavaScript($input.json(\'$\'))", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"}',
          },
          integrationResponses: [
            {
              statusCode: '200',
              responseTemplates: {
                'application/json': '{"executionArn": "$input.path(\'$.executionArn\')"}',
              },
            },
          ],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/executions').send({ orderId: 'o-9' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:e-1' });
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.credentialScope).toBe('20261207/us-east-1/states/aws4_request');
    expect(sent.query).toEqual({ Action: 'StartExecution' });
    expect(sent.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(sent.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(sent.body.toString())).toEqual({
      input: '{"orderId":"o-9"}',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
    });
  });

  it('API → EventBridge PutEvents: the mapped X-Amz-Target and JSON 1.1 Content-Type, signed for events', async () => {
    service.answer = (_req, res) => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end('{"Entries":[{"EventId":"11710aed-b79e-4468-a20b-bb3c0c3b4860"}],"FailedEntryCount":0}');
    };
    const app = createApp(
      api(
        '/events',
        {
          uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
          httpMethod: 'POST',
          credentials: ROLE,
          requestParameters: {
            'integration.request.header.X-Amz-Target': "'AWSEvents.PutEvents'",
            'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
          },
          requestTemplates: {
            'application/json':
              '{"Entries":[{"Source":"com.example.orders","DetailType":"OrderPlaced","Detail":"$util.escapeJavaScript($input.json(\'$\'))","EventBusName":"default"}]}',
          },
          integrationResponses: [{ statusCode: '200' }],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/events').send({ orderId: 'o-3' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }],
      FailedEntryCount: 0,
    });
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.credentialScope).toBe('20261207/us-east-1/events/aws4_request');
    expect(sent.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(sent.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(sent.body.toString())).toEqual({
      Entries: [
        {
          Source: 'com.example.orders',
          DetailType: 'OrderPlaced',
          Detail: '{"orderId":"o-3"}',
          EventBusName: 'default',
        },
      ],
    });
  });

  it('signs a session token, and a path parameter mapped into the uri keeps its escapes (signed encoded twice, as non-S3 services want)', async () => {
    const app = createApp(
      {
        ...api(
          '/queues/{name}',
          {
            uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/{queue}',
            httpMethod: 'POST',
            requestParameters: { 'integration.request.path.queue': 'method.request.path.name' },
            integrationResponses: [{ statusCode: '200' }],
          },
          endpoints(),
        ),
        awsServiceCredentials: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: 'tok+en/=' },
      },
      express,
    );
    const res = await request(app).post('/prod/queues/my%20queue').send('Action=SendMessage&MessageBody=x');
    expect(res.status).toBe(200);
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.headers['x-amz-security-token']).toBe('tok+en/=');
    expect(sent.path).toBe('/123456789012/my%20queue');
  });

  it('resolves ${stageVariables.x} in the service uri (the queue per stage)', async () => {
    const app = createApp(
      api(
        '/orders',
        {
          uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/${stageVariables.queue}',
          integrationResponses: [{ statusCode: '200' }],
        },
        { ...endpoints(), stageVariables: { queue: 'orders-beta' } },
      ),
      express,
    );
    expect((await request(app).post('/prod/orders').send('x=1')).status).toBe(200);
    expect(service.requests[0].path).toBe('/123456789012/orders-beta');
  });

  it('signs an S3 path as sent (encoded once), unlike the other services', async () => {
    const app = createApp(
      api(
        '/{folder}/{item}',
        {
          uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}',
          httpMethod: 'PUT',
          requestParameters: {
            'integration.request.path.bucket': 'method.request.path.folder',
            'integration.request.path.object': 'method.request.path.item',
          },
          integrationResponses: [{ statusCode: '200' }],
        },
        { awsEndpoints: { s3: service.url } },
      ),
      express,
    );
    const res = await request(app).post('/prod/photos/summer%20(1).txt').send('hello');
    expect(res.status).toBe(200);
    const [sent] = service.requests;
    expect(sent.signatureProblem).toBeNull();
    expect(sent.credentialScope).toBe('20261207/us-east-1/s3/aws4_request');
    expect(sent.method).toBe('PUT');
    expect(sent.path).toBe('/photos/summer%20%281%29.txt');
    expect(sent.body.toString()).toBe('hello');
  });

  it("selects the integration response by the service's status: 4\\d{2} maps a 400 through its template", async () => {
    service.answer = (_req, res) => {
      res.statusCode = 400;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end('{"__type":"ValidationException","message":"Detail is malformed"}');
    };
    const app = createApp(
      api(
        '/events',
        {
          uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
          requestParameters: { 'integration.request.header.X-Amz-Target': "'AWSEvents.PutEvents'" },
          integrationResponses: [
            { statusCode: '200' },
            {
              statusCode: '400',
              selectionPattern: '4\\d{2}',
              responseTemplates: { 'application/json': '{"error": "$input.path(\'$.message\')"}' },
            },
          ],
        },
        endpoints(),
        [{ statusCode: '200' }, { statusCode: '400' }],
      ),
      express,
    );
    const res = await request(app).post('/prod/events').send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Detail is malformed' });
  });

  it('passes a service error through the default response when no pattern matches (200, the error body)', async () => {
    service.answer = (_req, res) => {
      res.statusCode = 500;
      res.end('{"__type":"InternalFailure"}');
    };
    const app = createApp(
      api(
        '/events',
        {
          uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
          integrationResponses: [{ statusCode: '200' }],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/events').send({});
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"__type":"InternalFailure"}');
  });

  it('answers 500 Internal server error when no integration response matches and there is no default', async () => {
    service.answer = (_req, res) => {
      res.statusCode = 404;
      res.end('{}');
    };
    const app = createApp(
      api(
        '/events',
        {
          uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
          integrationResponses: [{ statusCode: '200', selectionPattern: '2\\d{2}' }],
        },
        endpoints(),
      ),
      express,
    );
    const res = await request(app).post('/prod/events').send({});
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'Internal server error' });
  });

  it('answers 504 Endpoint request timed out when the service does not answer within timeoutInMillis', async () => {
    const hanging: Server = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    try {
      const app = createApp(
        api(
          '/events',
          {
            uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
            timeoutInMillis: 50,
            integrationResponses: [{ statusCode: '200' }],
          },
          { awsEndpoints: { events: url } },
        ),
        express,
      );
      const res = await request(app).post('/prod/events').send({});
      expect(res.status).toBe(504);
      expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
      expect(res.text).toBe('{"message": "Endpoint request timed out"}');
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('answers 500 Internal server error when the endpoint refuses the connection', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const logger = silentLogger();
    const app = createApp(
      api(
        '/events',
        {
          uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
          integrationResponses: [{ statusCode: '200' }],
        },
        { awsEndpoints: { events: url }, logger },
      ),
      express,
    );
    const res = await request(app).post('/prod/events').send({});
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'Internal server error' });
    expect(logger.calls.some((c) => c.level === 'error')).toBe(true);
  });
});
