import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import fc from 'fast-check';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';
import { normaliseEvent } from '../support/normalise-event.js';

/** Changes every value reachable from `root`, in place: what a careless handler may do to its event. */
function vandalise(root: unknown, seen = new Set<unknown>()): void {
  if (typeof root !== 'object' || root === null || seen.has(root)) return;
  seen.add(root);
  const target = root as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(target)) {
    try {
      vandalise(target[key], seen);
      target[key] = 'changed';
    } catch {
      // a read-only slot stays as it is
    }
  }
  try {
    if (Array.isArray(target)) target.push('added');
    else target.added = 'added';
  } catch {
    // a frozen object stays as it is
  }
}

const TEMPLATE_ECHO = [
  '#set($stageVariables.env = "changed-by-template")',
  '#set($context.identity.sourceIp = "changed-by-template")',
  '#set($p = $input.params())#set($p.querystring.q = "changed-by-template")',
  '{"stage": "$stageVariables.env", "q": "$input.params(\'q\')", "ip": "$context.identity.sourceIp"}',
].join('\n');

function isolationApi(seen: { event: unknown; context: unknown }[]): ApiGatewayOptions {
  return {
    stageVariables: { env: 'test', region: 'eu' },
    functions: {
      vandal: async (event: APIGatewayProxyEvent, context: Context) => {
        seen.push({ event: normaliseEvent(event), context: { ...context } });
        if (event.queryStringParameters?.vandalise === 'yes') {
          vandalise(event);
          vandalise(context);
        }
        return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' };
      },
    },
    resources: {
      '/items/{id}': { ANY: proxy('vandal') },
      '/template': {
        GET: {
          integration: {
            type: 'MOCK',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: [
              { statusCode: '200', responseTemplates: { 'application/json': TEMPLATE_ECHO } },
            ],
          },
          methodResponses: [{ statusCode: '200' }],
        },
      },
    },
  };
}

describe.each(EXPRESS_VERSIONS)('every invocation gets values of its own (Express %s)', (_v, express) => {
  it('a handler that changes every value of its event and context changes nothing of the next request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map(encodeURIComponent),
        fc.dictionary(fc.constantFrom('a', 'b', 'list'), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
        fc.constantFrom('GET', 'POST', 'DELETE'),
        async (id, query, method) => {
          const seen: { event: unknown; context: unknown }[] = [];
          const app = createApp(isolationApi(seen), express);
          const send = (extra: Record<string, string>) =>
            request(app)
              [method.toLowerCase() as 'get']?.(`/prod/items/${id}`)
              .query({ ...query, ...extra })
              .set('Host', 'abc123.execute-api.us-east-1.amazonaws.com')
              .set('X-Client', 'one')
              .set('X-Forwarded-For', '10.0.0.1');
          expect((await send({ vandalise: 'no' })).status).toBe(200);
          expect((await send({ vandalise: 'yes' })).status).toBe(200);
          expect((await send({ vandalise: 'no' })).status).toBe(200);
          const [first, , third] = seen;
          expect(third.event).toEqual(first.event);
          const { awsRequestId: firstId, ...firstContext } = first.context as Record<string, unknown>;
          const { awsRequestId: thirdId, ...thirdContext } = third.context as Record<string, unknown>;
          expect(thirdContext).toEqual(firstContext);
          expect(thirdId).not.toBe(firstId);
          // and the templates of another route still see the stage as configured
          const mapped = await request(app).get('/prod/template?q=1');
          expect(JSON.parse(mapped.text)).toEqual({
            stage: 'changed-by-template',
            q: '1',
            ip: 'changed-by-template',
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('keeps stageVariables unchanged for a later proxy event and template after a handler changed them', async () => {
    const seen: { event: unknown; context: unknown }[] = [];
    const app = createApp(isolationApi(seen), express);
    await request(app).get('/prod/items/1?vandalise=yes').expect(200);
    await request(app).get('/prod/items/1').expect(200);
    expect((seen[1].event as APIGatewayProxyEvent).stageVariables).toEqual({ env: 'test', region: 'eu' });
    // a template's own #set lasts one render
    await request(app).get('/prod/template?q=1').expect(200);
    const res = await request(app).get('/prod/template?q=2');
    expect(JSON.parse(res.text)).toEqual({ stage: 'changed-by-template', q: '2', ip: 'changed-by-template' });
    await request(app).get('/prod/items/1').expect(200);
    expect((seen[2].event as APIGatewayProxyEvent).stageVariables).toEqual({ env: 'test', region: 'eu' });
  });
});

describe.each(EXPRESS_VERSIONS)(
  'path variables with the names of Object members (Express %s)',
  (_v, express) => {
    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
      '{%s} keeps its value',
      async (name) => {
        const app = createApp(
          { functions: { echoEvent }, resources: { [`/things/{${name}}`]: { GET: proxy('echoEvent') } } },
          express,
        );
        const res = await request(app).get('/prod/things/v1');
        expect(res.status).toBe(200);
        const event = JSON.parse(res.text) as APIGatewayProxyEvent;
        expect(Object.keys(event.pathParameters ?? {})).toEqual([name]);
        expect(Object.getOwnPropertyDescriptor(event.pathParameters, name)?.value).toBe('v1');
        expect(Object.getPrototypeOf(event.pathParameters)).toBe(Object.prototype);
      },
    );

    it('{__proto__} is readable by a template', async () => {
      const app = createApp(
        {
          resources: {
            '/things/{__proto__}': {
              GET: {
                integration: {
                  type: 'MOCK',
                  requestTemplates: { 'application/json': '{"statusCode": 200}' },
                  integrationResponses: [
                    {
                      statusCode: '200',
                      responseTemplates: {
                        'application/json': "[$input.params('__proto__')][$input.params().path]",
                      },
                    },
                  ],
                },
                methodResponses: [{ statusCode: '200' }],
              },
            },
          },
        },
        express,
      );
      const res = await request(app).get('/prod/things/v1').parse(asText);
      expect(res.body).toBe('[v1][{__proto__=v1}]');
    });
  },
);

const echoBody = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ body: event.body }),
});

describe.each(EXPRESS_VERSIONS)('bodies after an Express body parser (Express %s)', (_v, express) => {
  const setup = (parser: (e: typeof express) => import('express').RequestHandler) => {
    const logger = silentLogger();
    const app = createApp(
      { logger, functions: { echoBody }, resources: { '/echo': { ANY: proxy('echoBody') } } },
      express,
      {
        before: (a) => a.use(parser(express)),
      },
    );
    const warnings = () => logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    return { app, warnings };
  };

  it.each([
    ['express.json()', (e: typeof express) => e.json(), 'application/json'],
    [
      'express.urlencoded()',
      (e: typeof express) => e.urlencoded({ extended: true }),
      'application/x-www-form-urlencoded',
    ],
    ['express.text()', (e: typeof express) => e.text(), 'text/plain'],
  ])('an empty POST stays null (AWS sends null) after %s', async (_name, parser, type) => {
    const { app, warnings } = setup(parser);
    const res = await request(app).post('/prod/echo').set('Content-Type', type).set('Content-Length', '0');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: null });
    expect(warnings()).toEqual([]);
  });

  it('turns a nested form back into the bracket names it came from, not [object Object]', async () => {
    const { app, warnings } = setup((e) => e.urlencoded({ extended: true }));
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a[b]=1&a[c][d]=x%20y&list=1&list=2&plain=v');
    expect(JSON.parse(res.text)).toEqual({ body: 'a%5Bb%5D=1&a%5Bc%5D%5Bd%5D=x+y&list=1&list=2&plain=v' });
    expect(res.text).not.toContain('object');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('re-serialised');
  });

  it('says so in the warning when the parsed body has no form that gives the bytes back', async () => {
    const logger = silentLogger();
    const app = createApp(
      { logger, functions: { echoBody }, resources: { '/echo': { ANY: proxy('echoBody') } } },
      express,
      {
        before: (a) =>
          a.use((req, _res, next) => {
            // a custom parser that keeps a value JSON cannot write
            req.resume();
            req.on('end', () => {
              (req as { body?: unknown }).body = { n: 10n };
              next();
            });
          }),
      },
    );
    const res = await request(app)
      .post('/prod/echo')
      .set('Content-Type', 'application/json')
      .send('{"n":10}');
    expect(res.status).toBe(200);
    const warnings = logger.calls.filter((c) => c.level === 'warn').map((c) => String(c.args[0]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot be turned back into the bytes the client sent');
  });
});

describe.each(EXPRESS_VERSIONS)('requests the gateway must not run (Express %s)', (_v, express) => {
  it('does not invoke the function when an earlier middleware has already answered', async () => {
    let calls = 0;
    const app = createApp(
      {
        functions: {
          counted: async () => {
            calls++;
            return { statusCode: 200, body: 'from the function' };
          },
        },
        resources: { '/x': { GET: proxy('counted') } },
      },
      express,
      {
        before: (a) =>
          a.use((_req, res, next) => {
            res.status(418).send('answered early');
            next();
          }),
      },
    );
    const res = await request(app).get('/prod/x');
    expect(res.status).toBe(418);
    expect(res.text).toBe('answered early');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(0);
  });

  it('answers 414 to a URL over 10,240 characters, as a regional REST API, without invoking', async () => {
    let calls = 0;
    const app = createApp(
      {
        functions: { counted: async () => ({ statusCode: 200, body: String(++calls) }) },
        resources: { '/x': { GET: proxy('counted') } },
      },
      express,
    );
    const base = '/prod/x?q=';
    const atLimit = await request(app).get(base + 'a'.repeat(10_240 - base.length));
    expect(atLimit.status).toBe(200);
    const over = await request(app).get(base + 'a'.repeat(10_241 - base.length));
    expect(over.status).toBe(414);
    expect(over.text).toBe('{"message":"Request URI too long"}');
    expect(calls).toBe(1);
  });
});

describe.each(EXPRESS_VERSIONS)('non-ASCII response header values (Express %s)', (_v, express) => {
  const VALUES = { 'X-Latin': 'café', 'X-Euro': '5 €', 'X-Emoji': 'a😀b', 'X-Lone': 'x\ud800y' };
  const EXPECTED = { 'x-latin': 'café', 'x-euro': '5 €', 'x-emoji': 'a😀b', 'x-lone': 'x\ufffdy' };
  // Node's client reads header bytes one character per byte: decode them back as UTF-8.
  const header = (res: request.Response, name: string) =>
    Buffer.from(String(res.headers[name]), 'latin1').toString('utf8');

  it('a proxy result sends the UTF-8 bytes of each, never a 502', async () => {
    const app = createApp(
      {
        functions: {
          named: async () => ({
            statusCode: 200,
            headers: VALUES,
            multiValueHeaders: { 'X-Multi': ['€1', 'é2'] },
            body: 'ok',
          }),
        },
        resources: { '/x': { GET: proxy('named') } },
      },
      express,
    );
    const res = await request(app).get('/prod/x').parse(asText);
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(EXPECTED)) expect(header(res, name)).toBe(value);
    expect(header(res, 'x-multi')).toBe('€1, é2');
  });

  it('a mapped header sends its UTF-8 bytes too, never a 500', async () => {
    const app = createApp(
      {
        functions: { named: async () => ({ name: 'a😀€é' }) },
        resources: {
          '/x': {
            GET: {
              integration: {
                type: 'AWS',
                function: 'named',
                integrationResponses: [
                  {
                    statusCode: '200',
                    responseParameters: {
                      'method.response.header.X-Name': 'integration.response.body.name',
                      'method.response.header.X-Static': "'€ and é'",
                    },
                  },
                ],
              },
              methodResponses: [
                {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.X-Name': false,
                    'method.response.header.X-Static': false,
                  },
                },
              ],
            },
          },
        },
      },
      express,
    );
    const res = await request(app).get('/prod/x').parse(asText);
    expect(res.status).toBe(200);
    expect(header(res, 'x-name')).toBe('a😀€é');
    expect(header(res, 'x-static')).toBe('€ and é');
  });
});

describe.each(EXPRESS_VERSIONS)('large text bodies (Express %s)', (_v, express) => {
  const app = createApp(
    { functions: { echoBody }, resources: { '/echo': { ANY: proxy('echoBody') } } },
    express,
  );
  const ascii = Buffer.from('{"a":"'.concat('x'.repeat(100_000), '"}'));
  it.each([
    ['all ASCII', ascii],
    ['ASCII and one é at the end', Buffer.concat([ascii, Buffer.from('é')])],
    ['an invalid UTF-8 byte', Buffer.concat([ascii, Buffer.from([0xff, 0x41])])],
    ['a control character', Buffer.concat([ascii, Buffer.from([0x01])])],
  ])('reach the function decoded as UTF-8: %s', async (_name, bytes) => {
    const res = await request(app).post('/prod/echo').set('Content-Type', 'text/plain').send(bytes);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).body).toBe(bytes.toString('utf8'));
  });
});
