import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const echoBody = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ body: event.body, isBase64Encoded: event.isBase64Encoded }),
});

const api = (logger = silentLogger()): ApiGatewayOptions & { logger: ReturnType<typeof silentLogger> } => ({
  logger,
  binaryMediaTypes: ['application/octet-stream'],
  functions: { echoBody },
  resources: { '/echo': { ANY: proxy('echoBody') } },
});

// Whitespace and key order a JSON parser would lose.
const JSON_BYTES = '{"b":  2, "a": [1,2] }';
const warned = (logger: ReturnType<typeof silentLogger>) =>
  logger.calls.filter((c) => c.level === 'warn' && String(c.args[0]).includes('body parser')).length;

describe.each(EXPRESS_VERSIONS)('request bodies in a host app on Express %s', (_version, express) => {
  const received = (res: request.Response) => {
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as { body: string | null; isBase64Encoded: boolean };
  };

  it('gets the exact bytes with no parser before the gateway', async () => {
    const options = api();
    const res = await request(createApp(options, express))
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send(JSON_BYTES);
    expect(received(res)).toEqual({ body: JSON_BYTES, isBase64Encoded: false });
    expect(warned(options.logger)).toBe(0);
  });

  it('gets the exact bytes of a chunked body (no Content-Length)', async () => {
    const app = createApp(api(), express);
    const res = await new Promise<request.Response>((resolve, reject) => {
      const req = request(app)
        .post('/prod/echo')
        .set('Content-Type', 'text/plain')
        .set('Transfer-Encoding', 'chunked');
      req.write('part one, ');
      req.write('part two');
      req.end((err, r) => (err ? reject(err) : resolve(r)));
    });
    expect(received(res)).toEqual({ body: 'part one, part two', isBase64Encoded: false });
  });

  it('gets the exact bytes when express.raw() ran first', async () => {
    const options = api();
    const app = createApp(options, express, { before: (a) => a.use(express.raw({ type: () => true })) });
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send(JSON_BYTES);
    expect(received(res)).toEqual({ body: JSON_BYTES, isBase64Encoded: false });
    const bin = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from([0, 1, 254, 255]));
    expect(received(bin)).toEqual({ body: 'AAH+/w==', isBase64Encoded: true });
    expect(warned(options.logger)).toBe(0);
  });

  it('gets the exact bytes when express.json() has a verify hook that keeps req.rawBody', async () => {
    const options = api();
    const app = createApp(options, express, {
      before: (a) =>
        a.use(
          express.json({
            verify: (req: IncomingMessage & { rawBody?: Buffer }, _res, buf) => {
              req.rawBody = buf;
            },
          }),
        ),
    });
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send(JSON_BYTES);
    expect(received(res)).toEqual({ body: JSON_BYTES, isBase64Encoded: false });
    expect(warned(options.logger)).toBe(0);
  });

  it('gets the exact bytes when express.json() skipped a non-JSON content type', async () => {
    const options = api();
    const app = createApp(options, express, { before: (a) => a.use(express.json()) });
    const res = await request(app).post('/prod/echo').set('Content-Type', 'text/plain').send('not { json');
    expect(received(res)).toEqual({ body: 'not { json', isBase64Encoded: false });
    expect(warned(options.logger)).toBe(0);
  });

  it('gets body null for a GET when express.json() ran first (Express 4 leaves req.body {})', async () => {
    const app = createApp(api(), express, { before: (a) => a.use(express.json()) });
    const res = await request(app).get('/prod/echo');
    expect(received(res)).toEqual({ body: null, isBase64Encoded: false });
  });

  it('gets the text when express.text() consumed it (re-encoded as UTF-8), with a warning', async () => {
    const options = api();
    const app = createApp(options, express, { before: (a) => a.use(express.text()) });
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'text/plain')
      .send('héllo  wörld\n');
    expect(received(res)).toEqual({ body: 'héllo  wörld\n', isBase64Encoded: false });
    expect(warned(options.logger)).toBe(1);
  });

  // The one setup where the bytes are gone: a parser consumed the stream and kept no copy.
  it('gets re-serialised JSON when express.json() consumed it (whitespace lost), with a warning', async () => {
    const options = api();
    const app = createApp(options, express, { before: (a) => a.use(express.json()) });
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send(JSON_BYTES);
    expect(received(res)).toEqual({ body: '{"b":2,"a":[1,2]}', isBase64Encoded: false });
    expect(warned(options.logger)).toBe(1);
    // Warned once per gateway, not once per request.
    const again = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send('{"c":3}');
    expect(received(again)).toEqual({ body: '{"c":3}', isBase64Encoded: false });
    expect(warned(options.logger)).toBe(1);
  });

  it('gets a re-serialised form when express.urlencoded() consumed it, with a warning', async () => {
    const options = api();
    const app = createApp(options, express, {
      before: (a) => a.use(express.urlencoded({ extended: false })),
    });
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a=1&b=x%20y&b=z');
    expect(received(res)).toEqual({ body: 'a=1&b=x+y&b=z', isBase64Encoded: false });
    expect(warned(options.logger)).toBe(1);
  });
});
