import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { ApiGatewayOptions, Integration } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import {
  type Backend,
  garbageBackend,
  hangingBackend,
  refusedPort,
  resettingBackend,
  selfSignedBackend,
  slowBackend,
} from '../support/http-backends.js';

const TLS = path.join(__dirname, '../fixtures/tls');
let hanging: Backend;
let resetting: Backend;
let garbage: Backend;
let selfSigned: Backend;
let slow: Awaited<ReturnType<typeof slowBackend>>;
let refused: number;

beforeAll(async () => {
  [hanging, resetting, garbage, slow, refused] = await Promise.all([
    hangingBackend(),
    resettingBackend(),
    garbageBackend(),
    slowBackend(),
    refusedPort(),
  ]);
  selfSigned = await selfSignedBackend(
    fs.readFileSync(path.join(TLS, 'self-signed.key'), 'utf8'),
    fs.readFileSync(path.join(TLS, 'self-signed.crt'), 'utf8'),
  );
});
afterAll(() => Promise.all([hanging, resetting, garbage, slow, selfSigned].map((b) => b.close())));

function api(type: 'HTTP' | 'HTTP_PROXY', uri: string, extra: Partial<Integration> = {}): ApiGatewayOptions {
  const integration: Integration = { type, httpMethod: 'GET', uri, ...extra };
  if (type === 'HTTP')
    integration.integrationResponses = [
      { statusCode: '200', responseTemplates: { 'text/plain': '$input.body' } },
    ];
  return { resources: { '/r': { GET: { integration } } } };
}

describe.each(EXPRESS_VERSIONS)('HTTP integration errors on Express %s', (_v, express) => {
  describe.each(['HTTP_PROXY', 'HTTP'] as const)('%s', (type) => {
    it('answers 504 Endpoint request timed out when the backend never answers', async () => {
      const logger = silentLogger();
      const app = createApp({ ...api(type, hanging.url, { timeoutInMillis: 50 }), logger }, express);
      const res = await request(app).get('/prod/r');
      expect(res.status).toBe(504);
      expect(res.text).toBe('{"message": "Endpoint request timed out"}');
      expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
      expect(
        logger.calls.some((c) => String(c.args[0]).includes('] Execution failed due to a timeout error: ')),
      ).toBe(true);
    });

    it('answers 504 when the body does not finish within timeoutInMillis', async () => {
      const app = createApp(api(type, slow.url, { timeoutInMillis: 50 }), express);
      const res = await request(app).get('/prod/r');
      slow.release();
      expect(res.status).toBe(504);
      expect(res.body).toEqual({ message: 'Endpoint request timed out' });
    });

    it('waits for a slow answer within the timeout', async () => {
      const app = createApp(api(type, slow.url), express);
      const pending = request(app).get('/prod/r');
      const answered = pending.then((r) => r);
      await slow.received();
      slow.release();
      const res = await answered;
      expect(res.status).toBe(200);
      expect(res.text).toBe('first part, second part');
    });

    it.each([
      ['the connection is refused', () => `http://127.0.0.1:${refused}/`, /ECONNREFUSED/],
      ['the backend resets the connection', () => resetting.url, /ECONNRESET|other side closed|socket/i],
      ['the backend answers with something that is not HTTP', () => garbage.url, /HPE_|parse|Expected HTTP/i],
      ['the certificate is not trusted', () => selfSigned.url, /SELF_SIGNED|self.signed/i],
    ])('answers 500 Internal server error when %s', async (_what, uri, reason) => {
      const logger = silentLogger();
      const app = createApp({ ...api(type, uri()), logger }, express);
      const res = await request(app).get('/prod/r');
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"message": "Internal server error"}');
      expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
      const line = logger.calls
        .map((c) => String(c.args[0]))
        .find((l) => l.includes('] Execution failed due to configuration error: '));
      expect(line).toMatch(reason);
    });
  });
});
