import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);

// Reads the response as raw bytes whatever its Content-Type.
const bytes = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Echoes the request body back: base64 in, base64 out with isBase64Encoded, plus what it received. */
const roundTrip = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  headers: {
    'Content-Type': 'image/png',
    'x-received-base64': String(event.isBase64Encoded),
  },
  body: event.isBase64Encoded ? (event.body ?? '') : Buffer.from(event.body ?? '').toString('base64'),
  isBase64Encoded: true,
});

const api = (binaryMediaTypes?: string[]): ApiGatewayOptions => ({
  binaryMediaTypes,
  functions: {
    roundTrip,
    image: async () => ({ statusCode: 200, body: PNG.toString('base64'), isBase64Encoded: true }),
    plainBase64: async () => ({ statusCode: 200, body: PNG.toString('base64'), isBase64Encoded: false }),
    echo: async (event: APIGatewayProxyEvent) => ({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ body: event.body, isBase64Encoded: event.isBase64Encoded }),
    }),
  },
  resources: {
    '/upload': { POST: proxy('roundTrip') },
    '/image': { GET: proxy('image') },
    '/plain': { GET: proxy('plainBase64') },
    '/echo': { POST: proxy('echo') },
  },
});

describe.each(EXPRESS_VERSIONS)('binary payloads on Express %s', (_version, express) => {
  it('round-trips binary bytes: base64 in the event, bytes back for a binary Accept', async () => {
    const res = await request(createApp(api(['image/png']), express))
      .post('/prod/upload')
      .set('Content-Type', 'image/png')
      .set('Accept', 'image/png')
      .send(PNG)
      .buffer(true)
      .parse(bytes);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-received-base64']).toBe('true');
    expect(Buffer.compare(res.body, PNG)).toBe(0);
  });

  it('hands a binary-media-type body to the function as base64 with isBase64Encoded true', async () => {
    const res = await request(createApp(api(['application/octet-stream']), express))
      .post('/prod/echo')
      .set('Content-Type', 'application/octet-stream')
      .send(PNG);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: PNG.toString('base64'), isBase64Encoded: true });
  });

  it('hands any other body over as UTF-8 text', async () => {
    const res = await request(createApp(api(['image/png']), express))
      .post('/prod/echo')
      .set('Content-Type', 'text/plain; charset=utf-8')
      .send('héllo wörld');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: 'héllo wörld', isBase64Encoded: false });
  });

  it('matches request Content-Type with parameters and */* entries', async () => {
    const res = await request(createApp(api(['*/*']), express))
      .post('/prod/echo')
      .set('Content-Type', 'Text/Plain; charset=utf-8')
      .send('abc');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: 'YWJj', isBase64Encoded: true });
  });

  // Recorded table: decoding depends on the FIRST Accept type only (test_aws_proxy_binary_response).
  it.each([
    [undefined, 'image/png', false],
    [['image/png'], 'image/png', true],
    [['image/png'], 'image/jpg', false],
    [['image/png'], 'image/*', false],
    [['image/png'], '*/*', false],
    [['image/png'], 'image/webp,image/png,*/*;q=0.8', false],
    [['image/png'], 'image/png,image/*,*/*;q=0.8', true],
    [['*/test'], 'random/test', false],
    [['application/*'], 'application/whatever', true],
    [['application/*'], 'application/test', true],
    [['application/*'], 'application/*', true],
  ] as [string[] | undefined, string, boolean][])(
    'binaryMediaTypes %j, Accept %s: decoded to bytes: %s',
    async (types, accept, decoded) => {
      const res = await request(createApp(api(types), express))
        .get('/prod/image')
        .set('Accept', accept)
        .buffer(true)
        .parse(bytes);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(Buffer.compare(res.body, decoded ? PNG : Buffer.from(PNG.toString('base64')))).toBe(0);
    },
  );

  it('returns the base64 text when isBase64Encoded is false, even for a binary Accept', async () => {
    const res = await request(createApp(api(['image/png']), express))
      .get('/prod/plain')
      .set('Accept', 'image/png')
      .buffer(true)
      .parse(bytes);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(PNG.toString('base64'));
  });
});
