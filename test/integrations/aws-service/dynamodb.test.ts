import request from 'supertest';
import type { ApiGatewayOptions } from '../../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../../support/create-app.js';
import { dynamodb, type LocalService, startDynalite } from '../../support/local-aws.js';

const ROLE = 'arn:aws:iam::123456789012:role/apigw-dynamodb';

// The recipe: API → DynamoDB PutItem and Query with mapping templates, no Lambda in between.
function musicApi(endpoint: string): ApiGatewayOptions {
  return {
    awsServiceCredentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    awsEndpoints: { dynamodb: endpoint },
    resources: {
      '/music': {
        POST: {
          integration: {
            type: 'AWS',
            uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
            httpMethod: 'POST',
            credentials: ROLE,
            requestTemplates: {
              'application/json':
                '{"TableName": "Music", "Item": {"artist": {"S": "$input.path(\'$.artist\')"}, "title": {"S": "$input.path(\'$.title\')"}}}',
            },
            integrationResponses: [
              { statusCode: '200', responseTemplates: { 'application/json': '{"saved": true}' } },
              {
                statusCode: '400',
                selectionPattern: '4\\d{2}',
                responseTemplates: {
                  'application/json': "{\"error\": \"$input.path('$.__type').replaceAll('.*#', '')\"}",
                },
              },
            ],
          },
          methodResponses: [{ statusCode: '200' }, { statusCode: '400' }],
        },
      },
      '/music/{artist}': {
        GET: {
          integration: {
            type: 'AWS',
            uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query',
            httpMethod: 'POST',
            credentials: ROLE,
            requestTemplates: {
              'application/json':
                '{"TableName": "Music", "KeyConditionExpression": "artist = :a", "ExpressionAttributeValues": {":a": {"S": "$util.urlDecode($input.params(\'artist\'))"}}}',
            },
            integrationResponses: [
              {
                statusCode: '200',
                responseTemplates: {
                  'application/json':
                    '#set($items = $input.path(\'$.Items\')){"songs": [#foreach($item in $items){"artist": "$item.artist.S", "title": "$item.title.S"}#if($foreach.hasNext),#end#end]}',
                },
              },
            ],
          },
          methodResponses: [{ statusCode: '200' }],
        },
      },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('API → DynamoDB (dynalite) on Express %s', (_v, express) => {
  let ddb: LocalService;
  beforeAll(async () => {
    ddb = await startDynalite();
    await dynamodb(ddb.url, 'CreateTable', {
      TableName: 'Music',
      AttributeDefinitions: [
        { AttributeName: 'artist', AttributeType: 'S' },
        { AttributeName: 'title', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'artist', KeyType: 'HASH' },
        { AttributeName: 'title', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
  afterAll(() => ddb.close());

  it('PutItem through the mapping template stores the item; Query maps the Items back', async () => {
    const app = createApp(musicApi(ddb.url), express);
    const put = await request(app)
      .post('/prod/music')
      .send({ artist: 'No One You Know', title: 'Call Me Today' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ saved: true });
    await request(app).post('/prod/music').send({ artist: 'No One You Know', title: 'Scared of My Shadow' });

    const stored = await dynamodb(ddb.url, 'GetItem', {
      TableName: 'Music',
      Key: { artist: { S: 'No One You Know' }, title: { S: 'Call Me Today' } },
    });
    expect(stored).toEqual({ Item: { artist: { S: 'No One You Know' }, title: { S: 'Call Me Today' } } });

    const query = await request(app).get('/prod/music/No%20One%20You%20Know');
    expect(query.status).toBe(200);
    expect(query.body).toEqual({
      songs: [
        { artist: 'No One You Know', title: 'Call Me Today' },
        { artist: 'No One You Know', title: 'Scared of My Shadow' },
      ],
    });
  });

  it("maps DynamoDB's 400 (a missing attribute value) through the 4\\d{2} integration response", async () => {
    const app = createApp(musicApi(ddb.url), express);
    const res = await request(app).post('/prod/music').send({ artist: 'Only the artist' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'ValidationException' });
  });

  it('sends the raw DynamoDB answer when the integration response has no template', async () => {
    const options = musicApi(ddb.url);
    const query = options.resources?.['/music/{artist}']?.GET;
    if (query) query.integration.integrationResponses = [{ statusCode: '200' }];
    const app = createApp(options, express);
    const res = await request(app).get('/prod/music/Nobody');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ Count: 0, Items: [], ScannedCount: 0 });
  });
});
