import request from 'supertest';
import type { ApiGatewayOptions, Method } from '../../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../../support/create-app.js';
import { type LocalService, startS3rver } from '../../support/local-aws.js';

const ROLE = 'arn:aws:iam::123456789012:role/apigw-s3';
// s3rver knows one key pair (it checks the key, not a SigV4 signature: the recording server does that).
const S3RVER_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x80, 0x7f, 0xc3, 0x28]);

const objectParameters = {
  'integration.request.path.bucket': 'method.request.path.folder',
  'integration.request.path.object': 'method.request.path.item',
};

// The recipe: API as an S3 proxy, GET/PUT /{folder}/{item} → s3:path/{bucket}/{object}, binary media types on.
function s3Api(endpoint: string, keys = S3RVER_KEYS): ApiGatewayOptions {
  const put: Method = {
    requestParameters: { 'method.request.path.folder': true, 'method.request.path.item': true },
    integration: {
      type: 'AWS',
      uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}',
      httpMethod: 'PUT',
      credentials: ROLE,
      requestParameters: {
        ...objectParameters,
        'integration.request.header.Content-Type': 'method.request.header.Content-Type',
      },
      integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '' } }],
    },
    methodResponses: [{ statusCode: '200' }],
  };
  const get: Method = {
    requestParameters: { 'method.request.path.folder': true, 'method.request.path.item': true },
    integration: {
      type: 'AWS',
      uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}',
      httpMethod: 'GET',
      credentials: ROLE,
      requestParameters: objectParameters,
      integrationResponses: [
        {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Content-Type': 'integration.response.header.Content-Type',
            'method.response.header.Content-Length': 'integration.response.header.Content-Length',
          },
        },
        {
          statusCode: '404',
          selectionPattern: '404',
          responseTemplates: { 'application/json': '{"message": "No such item"}' },
        },
      ],
    },
    methodResponses: [
      {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Content-Type': true,
          'method.response.header.Content-Length': true,
        },
      },
      { statusCode: '404' },
    ],
  };
  return {
    awsServiceCredentials: keys,
    awsEndpoints: { s3: endpoint },
    binaryMediaTypes: ['image/png'],
    resources: { '/{folder}/{item}': { PUT: put, GET: get } },
  };
}

describe.each(EXPRESS_VERSIONS)('API → S3 (s3rver) on Express %s', (_v, express) => {
  let s3: LocalService;
  beforeAll(async () => {
    s3 = await startS3rver(['photos']);
  });
  afterAll(() => s3.close());

  it('PutObject then GetObject round-trips binary bytes unchanged, with the object Content-Type', async () => {
    const app = createApp(s3Api(s3.url), express);
    const put = await request(app).put('/prod/photos/cat.png').set('Content-Type', 'image/png').send(PNG);
    expect(put.status).toBe(200);
    expect(put.text).toBe('');

    const stored = await fetch(`${s3.url}/photos/cat.png`);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(PNG);

    const get = await request(app)
      .get('/prod/photos/cat.png')
      .set('Accept', 'image/png')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('image/png');
    expect(get.body).toEqual(PNG);
  });

  it('PutObject with CONVERT_TO_BINARY stores the bytes a base64 text body encodes', async () => {
    const options = s3Api(s3.url);
    const put = options.resources?.['/{folder}/{item}']?.PUT;
    if (put) put.integration.contentHandling = 'CONVERT_TO_BINARY';
    const app = createApp(options, express);
    const res = await request(app)
      .put('/prod/photos/from-base64.png')
      .set('Content-Type', 'text/plain')
      .send(PNG.toString('base64'));
    expect(res.status).toBe(200);
    const stored = await fetch(`${s3.url}/photos/from-base64.png`);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(PNG);
  });

  it("answers the 404 integration response for a missing object (selectionPattern on S3's status)", async () => {
    const app = createApp(s3Api(s3.url), express);
    const res = await request(app).get('/prod/photos/missing.png');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'No such item' });
  });

  it("passes S3's 403 for an unknown access key through the default response, S3's Content-Type mapped", async () => {
    const app = createApp(s3Api(s3.url, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }), express);
    const res = await request(app).get('/prod/photos/cat.png').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toContain('<Code>InvalidAccessKeyId</Code>');
  });
});
