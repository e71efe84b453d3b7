import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// Characters a client can put in a request target as-is, including the awkward ones: stray `%`,
// `+`, braces, `//`, `?` and `&` (the first `?` starts the query).
const URL_CHARS = 'abcAZ09-._~!$&\'()*+,;=:@/%?{}[]|^`"<>\\';
const urlChar = fc.oneof(
  fc.constantFrom(...URL_CHARS),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).map(encodeURIComponent),
);
const target = fc.array(urlChar, { maxLength: 40 }).map((chars) => chars.join(''));
const headerName = fc
  .stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/)
  .filter(
    (n) =>
      !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(
        n.toLowerCase(),
      ),
  );
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http sends the request target byte for byte (supertest's URL parser would normalise it). */
function send(port: number, method: string, path: string, headers: [string, string][] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: Object.fromEntries(headers), agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A path URL readers resolve elsewhere: a backslash, or a `.`/`..` segment (`%2e` counts as a dot). */
function resolvesElsewhere(url: string): boolean {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return (
    path.includes('\\') ||
    path.split('/').some((segment) => ['.', '..'].includes(segment.replace(/%2e/gi, '.')))
  );
}

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

describe.each(EXPRESS_VERSIONS)('any request on Express %s', (_version, express) => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const app = createApp(
      {
        binaryMediaTypes: ['image/*'],
        functions: { echo: echoEvent },
        resources: {
          '/{proxy+}': { ANY: proxy('echo') },
          '/items/{id}': { GET: proxy('echo') },
          '/items/{id}/parts': { POST: proxy('echo') },
          '/static': { GET: proxy('echo') },
        },
      },
      express,
      {
        after: (a) =>
          a.use((_req, res) => {
            res.status(404).send('host');
          }),
      },
    );
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('gets a valid HTTP answer (never a crash, never next(err)) for arbitrary paths, queries and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        fc.boolean(),
        target,
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
        async (verb, underStage, rest, headers) => {
          const url = `${underStage ? '/prod' : ''}/${rest}`;
          const res = await send(port, verb, url, headers);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThanOrEqual(599);
          expect(res.status).not.toBe(500);
          if (!underStage && !url.startsWith('/prod/') && url !== '/prod') return;
          // Under the stage the gateway answers: 200 from the function, or its own 403; a path
          // that would be read as another one is refused before routing.
          if (resolvesElsewhere(url)) {
            expect(res.status).toBe(400);
            return;
          }
          expect([200, 403]).toContain(res.status);
          expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the path as sent and the query maps consistent for arbitrary URLs', async () => {
    await fc.assert(
      fc.asyncProperty(target, async (rest) => {
        const url = `/prod/x/${rest}`;
        const res = await send(port, 'GET', url);
        expect(res.status).toBe(resolvesElsewhere(url) ? 400 : 200);
        if (res.status === 400) return;
        const event = JSON.parse(res.body) as APIGatewayProxyEvent;
        const q = url.indexOf('?');
        expect(event.requestContext.path).toBe(q === -1 ? url : url.slice(0, q));
        expect(event.resource).toBe('/{proxy+}');
        expect(event.pathParameters?.proxy?.startsWith('x')).toBe(true);
        const single = event.queryStringParameters;
        const multi = event.multiValueQueryStringParameters;
        expect(single === null).toBe(multi === null);
        for (const [name, values] of Object.entries(multi ?? {})) {
          expect(single?.[name]).toBe(values?.at(-1));
          expect(values?.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
