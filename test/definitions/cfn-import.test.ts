import path from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import request from 'supertest';
import { importSam } from '../../src/definitions/sam-import.js';
import { apiGateway } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const CDK_OUT = path.resolve(__dirname, '../fixtures/definitions/sam/cdk/cdk.out');
const TEMPLATE = path.join(CDK_OUT, 'BooksStack.template.json');
const KEY = 'books-key-0123456789abcdef';

const books = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  body: JSON.stringify({ id: event.pathParameters?.id ?? null, shelf: event.stageVariables?.shelf }),
});
const saveBook = async (event: { title: string }) => ({ title: event.title });
const allow = async (event: APIGatewayTokenAuthorizerEvent) => ({
  principalId: 'reader',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'execute-api:Invoke',
        Effect: event.authorizationToken === 'ok' ? 'Allow' : 'Deny',
        Resource: event.methodArn,
      },
    ],
  },
});

describe('cdk synth template (AWS::ApiGateway::*), imported', () => {
  it('takes Lambda functions from their CDK asset folders, named by logical id', async () => {
    const { options } = await importSam(TEMPLATE, { baseDir: CDK_OUT, logger: silentLogger() });
    expect(options.functions).toEqual({
      BooksHandler0F8C1A57: {
        handler: 'index.handler',
        codeUri: path.join(CDK_OUT, 'asset.5d1c0a4e'),
        environment: { BUCKET: 'books-123456789012' },
        timeout: 15,
      },
      TokenAuthorizerFnE1B2C3D4: {
        handler: 'authorizer.handler',
        codeUri: path.join(CDK_OUT, 'asset.9b3e71f2'),
      },
    });
  });

  it('follows ParentId chains into paths and resolves Fn::Join integration URIs', async () => {
    const { options, unsupported } = await importSam(TEMPLATE, { baseDir: CDK_OUT, logger: silentLogger() });
    expect(Object.keys(options.resources).sort()).toEqual(['/', '/books', '/books/{id}']);
    expect(options.resources['/books/{id}']?.GET).toEqual({
      integration: {
        type: 'AWS_PROXY',
        httpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:BooksHandler0F8C1A57/invocations',
      },
      authorizationType: 'CUSTOM',
      authorizer: 'BooksTokenAuthorizer11AA22BB',
      apiKeyRequired: true,
      requestValidator: 'BooksApiParamsValidatorCCDD3344',
      requestParameters: { 'method.request.querystring.format': true },
    });
    expect(options.stageName).toBe('prod');
    expect(options.stageVariables).toEqual({ shelf: 'main' });
    expect(options.methodSettings).toEqual([
      {
        resourcePath: '/*',
        httpMethod: '*',
        throttlingRateLimit: 200,
        throttlingBurstLimit: 100,
        dataTraceEnabled: false,
      },
    ]);
    expect(options.apiKeys).toEqual([
      { id: 'BooksKey1A2B3C4D', name: 'BooksKey1A2B3C4D', value: KEY, enabled: true },
    ]);
    expect(options.usagePlans).toEqual([
      { name: 'books-basic', apiKeys: ['BooksKey1A2B3C4D'], quota: { limit: 2, period: 'DAY' } },
    ]);
    // The domain is customDomains()' to serve (readDomainMappings reads it), not a gap of the import.
    expect(unsupported).toEqual([]);
    expect(options.resources['/books']?.DELETE).toEqual({
      integration: { type: 'HTTP_PROXY', httpMethod: 'DELETE', uri: 'https://legacy.example.com/books' },
      authorizationType: 'NONE',
    });
  });
});

describe.each(EXPRESS_VERSIONS)('cdk synth template behind Express %s', (_version, express) => {
  const createApp = async () => {
    const app = express();
    const gateway = apiGateway({
      template: TEMPLATE,
      logger: silentLogger(),
      functions: { BooksHandler0F8C1A57: books, TokenAuthorizerFnE1B2C3D4: allow },
    });
    app.use(gateway);
    await gateway.ready;
    return app;
  };

  it('serves the root method with the stage variables of the Stage resource', async () => {
    const res = await request(await createApp()).get('/prod/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: null, shelf: 'main' });
  });

  it('checks the API key, the authorizer and the required query parameter of a nested resource', async () => {
    const app = await createApp();
    expect((await request(app).get('/prod/books/7?format=pdf').set('Authorization', 'ok')).status).toBe(403);
    const unauthorized = await request(app)
      .get('/prod/books/7?format=pdf')
      .set('x-api-key', KEY)
      .set('Authorization', 'no');
    expect(unauthorized.status).toBe(403);
    expect(unauthorized.body).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
    const missing = await request(app).get('/prod/books/7').set('x-api-key', KEY).set('Authorization', 'ok');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: 'Missing required request parameters: [format]' });
    const ok = await request(app)
      .get('/prod/books/7?format=pdf')
      .set('x-api-key', KEY)
      .set('Authorization', 'ok');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: '7', shelf: 'main' });
  });

  it('runs a non-proxy Lambda method with its templates and validates its body model', async () => {
    const app = express();
    const gateway = apiGateway({
      template: TEMPLATE,
      logger: silentLogger(),
      functions: { BooksHandler0F8C1A57: saveBook },
    });
    app.use(gateway);
    await gateway.ready;
    const bad = await request(app).post('/prod/books').send({ author: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Invalid request body' });
    const saved = await request(app).post('/prod/books').send({ title: 'Dune' });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ saved: 'Dune' });
  });

  it('answers a missing route with the template GatewayResponse', async () => {
    const res = await request(await createApp()).get('/prod/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'no such route' });
  });
});
