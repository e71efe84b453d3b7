import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { proxy } from '../support/echo-function.js';

const MB = 1024 * 1024;
const TOO_LONG_TEXT = 'HTTP content length exceeded 10485760 bytes.';

let calls = 0;
const api: ApiGatewayOptions = {
  functions: {
    size: async (event: APIGatewayProxyEvent) => {
      calls++;
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'text/plain' },
        body: String(event.body?.length ?? 0),
      };
    },
    huge: async () => ({ statusCode: 200, body: 'x'.repeat(6 * MB + 1) }),
    // 5.1 MB of text, 6.1 MB as the runtime serialises it: each quote is escaped.
    quoted: async () => ({ statusCode: 200, body: `${'q'.repeat(4.1 * MB)}${'"'.repeat(MB)}` }),
    large: async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain' },
      body: 'l'.repeat(5.9 * MB),
    }),
  },
  binaryMediaTypes: ['application/octet-stream'],
  resources: {
    '/size': { POST: proxy('size') },
    '/huge': { GET: proxy('huge') },
    '/quoted': { GET: proxy('quoted') },
    '/large': { GET: proxy('large') },
  },
};

describe.each(EXPRESS_VERSIONS)('payload limits on Express %s', (_version, express) => {
  const app = createApp(api, express, {
    before: (a) =>
      a.use((_req, res, next) => {
        res.setHeader('X-Powered-By', 'host');
        next();
      }),
  });

  it('answers 413 in plain text, without the gateway headers, above 10 MB (Content-Length)', async () => {
    calls = 0;
    const res = await request(app)
      .post('/prod/size')
      .set('Content-Type', 'text/plain')
      .send('a'.repeat(10 * MB + 1));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('text; charset=utf-8');
    expect(res.headers['x-amzn-requestid']).toBeUndefined();
    expect(res.headers['x-amzn-errortype']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).toBe(TOO_LONG_TEXT);
    expect(Buffer.byteLength(res.text)).toBe(44);
    expect(calls).toBe(0);
  });

  it('answers the same 413 for a chunked body that grows past 10 MB', async () => {
    calls = 0;
    const res = await new Promise<request.Response>((resolve, reject) => {
      const req = request(app).post('/prod/size').set('Content-Type', 'text/plain');
      const chunk = 'b'.repeat(MB);
      for (let i = 0; i < 11; i++) req.write(chunk);
      req.end((err, r) => (err ? reject(err) : resolve(r)));
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('text; charset=utf-8');
    expect(res.headers['x-amzn-requestid']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).toBe(TOO_LONG_TEXT);
    expect(calls).toBe(0);
  });

  it('answers 413 {"message": "Request Too Long"} above Lambda 6 MB invoke limit', async () => {
    calls = 0;
    const res = await request(app)
      .post('/prod/size')
      .set('Content-Type', 'text/plain')
      .send('c'.repeat(6 * MB + 1));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['content-length']).toBe('31');
    expect(res.text).toBe('{"message": "Request Too Long"}');
    expect(calls).toBe(0);
  });

  it('counts JSON escapes towards the 6 MB limit: quotes in a 5.1 MB body take it over', async () => {
    calls = 0;
    const body = `${'e'.repeat(4.1 * MB)}${'"'.repeat(MB)}`; // 6.1 MB once each quote is escaped
    const res = await request(app).post('/prod/size').set('Content-Type', 'text/plain').send(body);
    expect(res.status).toBe(413);
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(res.text).toBe('{"message": "Request Too Long"}');
    expect(calls).toBe(0);
  });

  it('counts UTF-8 bytes towards the 6 MB limit, not characters', async () => {
    const fits = `${'f'.repeat(4.9 * MB)}${'é'.repeat(0.3 * MB)}`; // 5.5 MB
    const over = `${'f'.repeat(4.3 * MB)}${'é'.repeat(0.9 * MB)}`; // 6.1 MB
    const ok = await request(app).post('/prod/size').set('Content-Type', 'text/plain').send(fits);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(String(fits.length));
    const res = await request(app).post('/prod/size').set('Content-Type', 'text/plain').send(over);
    expect(res.status).toBe(413);
    expect(res.text).toBe('{"message": "Request Too Long"}');
  });

  it('counts a binary body as its base64 text: 4.4 MB passes, 4.6 MB is over 6 MB', async () => {
    const fits = Buffer.alloc(4.4 * MB, 0x22); // quotes, which base64 never carries
    const ok = await request(app)
      .post('/prod/size')
      .set('Content-Type', 'application/octet-stream')
      .send(fits);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(String(fits.toString('base64').length));
    const over = Buffer.alloc(4.6 * MB, 0x22);
    const res = await request(app)
      .post('/prod/size')
      .set('Content-Type', 'application/octet-stream')
      .send(over);
    expect(res.status).toBe(413);
    expect(res.text).toBe('{"message": "Request Too Long"}');
  });

  it('counts a body that is not valid UTF-8 as the text the function gets', async () => {
    // Each lone 0xff byte becomes U+FFFD: 3 bytes once decoded, so 2 MB of them take it over.
    const body = Buffer.concat([Buffer.alloc(3.2 * MB, 0x61), Buffer.alloc(2 * MB, 0xff)]);
    const res = await request(app).post('/prod/size').set('Content-Type', 'text/plain').send(body);
    expect(res.status).toBe(413);
    const fits = Buffer.concat([Buffer.alloc(5 * MB, 0x61), Buffer.alloc(0.3 * MB, 0xff)]);
    const ok = await request(app).post('/prod/size').set('Content-Type', 'text/plain').send(fits);
    expect(ok.status).toBe(200);
  });

  it('passes a 5 MB body through', async () => {
    const res = await request(app)
      .post('/prod/size')
      .set('Content-Type', 'text/plain')
      .send('d'.repeat(5 * MB));
    expect(res.status).toBe(200);
    expect(res.text).toBe(String(5 * MB));
  });

  it('answers 502 when the function returns more than 6 MB', async () => {
    const res = await request(app).get('/prod/huge');
    expect(res.status).toBe(502);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.text).toBe('{"message": "Internal server error"}');
  });

  it('counts JSON escapes towards the 6 MB limit of the result too', async () => {
    const res = await request(app).get('/prod/quoted');
    expect(res.status).toBe(502);
    expect(res.text).toBe('{"message": "Internal server error"}');
    const fits = await request(app).get('/prod/large');
    expect(fits.status).toBe(200);
    expect(fits.text.length).toBe(Math.floor(5.9 * MB));
  });
});
