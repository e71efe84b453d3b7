import type { Handler } from 'aws-lambda';
import request from 'supertest';
import type { ApiGatewayOptions, Integration, Method } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const captured: unknown[] = [];
const echo: Handler = async (event) => {
  captured.push(event);
  return event;
};

function api(
  method: Omit<Partial<Method>, 'integration'> & { integration: Partial<Integration> },
  handler: Handler = echo,
): ApiGatewayOptions {
  return {
    stageName: 'prod',
    functions: { fn: handler },
    resources: {
      '/items/{id}': {
        POST: { ...method, integration: { type: 'AWS', function: 'fn', ...method.integration } } as Method,
        GET: { ...method, integration: { type: 'AWS', function: 'fn', ...method.integration } } as Method,
      },
    },
  };
}

const OK = [{ statusCode: '200' }];

describe.each(EXPRESS_VERSIONS)('AWS (non-proxy) Lambda integration on Express %s', (_v, express) => {
  beforeEach(() => {
    captured.length = 0;
  });

  describe('request side', () => {
    it('renders the request template selected by Content-Type into the Lambda event', async () => {
      const app = createApp(
        api({
          integration: {
            requestTemplates: {
              'application/json': `{"id": "$input.params('id')", "q": "$input.params('q')", "name": $input.json('$.name')}`,
              'text/plain': '{"text": true}',
            },
            integrationResponses: OK,
          },
        }),
        express,
      );
      const res = await request(app)
        .post('/prod/items/42?q=hello%20world')
        .set('Content-Type', 'application/json; charset=UTF-8')
        .send('{"name": "x\\"y"}');
      expect(res.status).toBe(200);
      expect(captured).toEqual([{ id: '42', q: 'hello world', name: 'x"y' }]);
      // No response template: the Lambda payload passes through byte for byte.
      expect(res.text).toBe('{"id":"42","q":"hello world","name":"x\\"y"}');
      expect(res.headers['content-type']).toBe('application/json');
    });

    it('treats a request without Content-Type as application/json', async () => {
      const app = createApp(
        api({
          integration: {
            requestTemplates: { 'application/json': '{"t": "json"}' },
            integrationResponses: OK,
          },
        }),
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(200);
      expect(captured).toEqual([{ t: 'json' }]);
    });

    it.each([
      ['WHEN_NO_MATCH', 200],
      ['WHEN_NO_TEMPLATES', 415],
      ['NEVER', 415],
    ] as const)('with templates but none matching, %s answers %d', async (behavior, status) => {
      const app = createApp(
        api({
          integration: {
            passthroughBehavior: behavior,
            requestTemplates: { 'application/json': '{"mapped": true}' },
            integrationResponses: OK,
          },
        }),
        express,
      );
      const res = await request(app)
        .post('/prod/items/1')
        .set('Content-Type', 'application/xml')
        .send('{"raw": 1}');
      expect(res.status).toBe(status);
      if (status === 415) {
        expect(res.text).toBe('{"message":"Unsupported Media Type"}');
        expect(captured).toEqual([]);
      } else {
        expect(captured).toEqual([{ raw: 1 }]);
      }
    });

    it.each([
      ['WHEN_NO_MATCH', 200],
      ['WHEN_NO_TEMPLATES', 200],
      ['NEVER', 415],
    ] as const)('with no templates at all, %s answers %d', async (behavior, status) => {
      const app = createApp(
        api({ integration: { passthroughBehavior: behavior, integrationResponses: OK } }),
        express,
      );
      const res = await request(app)
        .post('/prod/items/1')
        .set('Content-Type', 'application/json')
        .send('{"message": "hello world"}');
      expect(res.status).toBe(status);
      expect(captured).toEqual(status === 200 ? [{ message: 'hello world' }] : []);
    });

    it('answers 400 without invoking when the payload is not JSON', async () => {
      const app = createApp(api({ integration: { integrationResponses: OK } }), express);
      const res = await request(app).post('/prod/items/1').set('Content-Type', 'text/plain').send('not json');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(
        /^Could not parse request body into json: Could not parse payload into json: /,
      );
      expect(captured).toEqual([]);
    });

    it('answers 400 without invoking when the rendered template is not JSON (Lambda refuses it)', async () => {
      const app = createApp(
        api({
          integration: {
            requestTemplates: { 'application/json': '{"a": $input.params("nope")}' },
            integrationResponses: OK,
          },
        }),
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(400);
      expect(captured).toEqual([]);
    });

    it('answers 500 Internal server error when the template fails to render', async () => {
      const app = createApp(
        api({
          integration: {
            requestTemplates: { 'application/json': '{"a": $input.json("$.a")}' },
            integrationResponses: OK,
          },
        }),
        express,
      );
      const res = await request(app)
        .post('/prod/items/1')
        .set('Content-Type', 'application/json')
        .send('{not json');
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"message": "Internal server error"}');
      expect(captured).toEqual([]);
    });

    it('CONVERT_TO_TEXT hands a binary payload to the template as base64; without it a template is a 500', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      const method = (contentHandling?: 'CONVERT_TO_TEXT') =>
        createApp(
          {
            ...api({
              integration: {
                contentHandling,
                requestTemplates: { 'image/png': '{"image": "$input.body"}' },
                integrationResponses: OK,
              },
            }),
            binaryMediaTypes: ['image/png'],
          },
          express,
        );
      const converted = await request(method('CONVERT_TO_TEXT'))
        .post('/prod/items/1')
        .set('Content-Type', 'image/png')
        .send(bytes);
      expect(converted.status).toBe(200);
      expect(captured).toEqual([{ image: bytes.toString('base64') }]);
      const refused = await request(method())
        .post('/prod/items/1')
        .set('Content-Type', 'image/png')
        .send(bytes);
      expect(refused.status).toBe(500);
      expect(refused.text).toBe('{"message": "Internal server error"}');
      expect(captured).toHaveLength(1);
    });

    it("invokes asynchronously with X-Amz-Invocation-Type 'Event' and answers at once with an empty body", async () => {
      let release: () => void = () => {};
      const started = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: Handler = (event) => {
        captured.push(event);
        release();
        return new Promise(() => {}); // never settles: the caller must not wait for it
      };
      const app = createApp(
        api(
          {
            integration: {
              requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
              requestTemplates: { 'application/json': '{"job": "$input.params(\'id\')"}' },
              integrationResponses: OK,
              timeoutInMillis: 50,
            },
          },
          slow,
        ),
        express,
      );
      const res = await request(app).get('/prod/items/7');
      await started;
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect(captured).toEqual([{ job: '7' }]);
    });
  });

  describe('response side', () => {
    const failing: Handler = async (event: { message: string }) => {
      throw new Error(event.message);
    };
    const responses = {
      integrationResponses: [
        { statusCode: '200' },
        {
          statusCode: '400',
          selectionPattern: '.*\\[BadRequest\\].*',
          responseTemplates: { 'application/json': `{"error": "$input.path('$.errorMessage')"}` },
          responseParameters: { 'method.response.header.X-Reason': "'bad'" },
        },
        { statusCode: '502', selectionPattern: '.+' },
      ],
    };
    const methodResponses = [
      { statusCode: '200' },
      { statusCode: '400', responseParameters: { 'method.response.header.X-Reason': true } },
      { statusCode: '502' },
    ];

    it('selects the response whose pattern matches the whole errorMessage', async () => {
      const app = createApp(api({ integration: responses, methodResponses }, failing), express);
      const res = await request(app)
        .post('/prod/items/1')
        .send({ message: 'Oops [BadRequest] name missing' });
      expect(res.status).toBe(400);
      expect(res.headers['x-reason']).toBe('bad');
      expect(res.text).toBe('{"error": "Oops [BadRequest] name missing"}');
    });

    it('tries patterns in status-code order: 400 before 502 when both match', async () => {
      const app = createApp(api({ integration: responses, methodResponses }, failing), express);
      const res = await request(app).post('/prod/items/1').send({ message: '[BadRequest]' });
      expect(res.status).toBe(400);
      const other = await request(app).post('/prod/items/1').send({ message: 'something else' });
      expect(other.status).toBe(502);
      expect(other.text).toMatch(
        /^\{"errorType":"Error","errorMessage":"something else","trace":\["Error: something else",/,
      );
    });

    it('requires a whole-string match, as Java Matcher.matches does', async () => {
      const app = createApp(
        api(
          {
            integration: {
              integrationResponses: [
                { statusCode: '200' },
                { statusCode: '404', selectionPattern: 'not found' },
              ],
            },
          },
          failing,
        ),
        express,
      );
      const partial = await request(app).post('/prod/items/1').send({ message: 'item not found' });
      expect(partial.status).toBe(200); // default response, with the error payload as body
      expect(JSON.parse(partial.text)).toMatchObject({ errorType: 'Error', errorMessage: 'item not found' });
      const whole = await request(app).post('/prod/items/1').send({ message: 'not found' });
      expect(whole.status).toBe(404);
    });

    it('never tries patterns on success', async () => {
      const app = createApp(
        api(
          {
            integration: {
              integrationResponses: [{ statusCode: '200' }, { statusCode: '405', selectionPattern: '.*' }],
            },
          },
          async () => 'Pass',
        ),
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(200);
      expect(res.text).toBe('"Pass"');
    });

    it('answers 500 when nothing matches and there is no default response', async () => {
      const app = createApp(
        api(
          { integration: { integrationResponses: [{ statusCode: '400', selectionPattern: 'x' }] } },
          failing,
        ),
        express,
      );
      const res = await request(app).post('/prod/items/1').send({ message: 'y' });
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"message": "Internal server error"}');
    });

    it('sends the payload the Node.js runtime serialises: undefined becomes null', async () => {
      const app = createApp(
        api({ integration: { integrationResponses: OK } }, async () => undefined),
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(200);
      expect(res.text).toBe('null');
    });

    it('maps headers from the integration response body and headers, stage variables and context', async () => {
      const app = createApp(
        {
          ...api(
            {
              integration: {
                integrationResponses: [
                  {
                    statusCode: '200',
                    responseParameters: {
                      'method.response.header.X-Id': 'integration.response.body.order.id',
                      'method.response.header.X-Whole': 'integration.response.body',
                      'method.response.header.X-Version':
                        'integration.response.header.X-Amz-Executed-Version',
                      'method.response.header.X-Stage': 'stageVariables.env',
                      'method.response.header.X-Res': 'context.resourcePath',
                    },
                  },
                ],
              },
            },
            async () => ({ order: { id: 17 } }),
          ),
          stageVariables: { env: 'dev' },
        },
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(200);
      expect(res.headers['x-id']).toBe('17');
      expect(res.headers['x-whole']).toBe('{"order":{"id":17}}');
      expect(res.headers['x-version']).toBe('$LATEST');
      expect(res.headers['x-stage']).toBe('dev');
      expect(res.headers['x-res']).toBe('/items/{id}');
    });

    it('chooses the response template by the first Accept type and sets Content-Type from it', async () => {
      const app = createApp(
        api(
          {
            integration: {
              integrationResponses: [
                {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json': '{"v": "$input.path(\'$.v\')"}',
                    'text/html': "<b>$input.path('$.v')</b>",
                  },
                },
              ],
            },
          },
          async () => ({ v: 'x' }),
        ),
        express,
      );
      const html = await request(app).get('/prod/items/1').set('Accept', 'text/html, application/json');
      expect(html.headers['content-type']).toBe('text/html');
      expect(html.text).toBe('<b>x</b>');
      const json = await request(app).get('/prod/items/1');
      expect(json.headers['content-type']).toBe('application/json');
      expect(json.text).toBe('{"v": "x"}');
    });

    it('applies $context.responseOverride status and headers from a response template', async () => {
      const app = createApp(
        api(
          {
            integration: {
              integrationResponses: [
                {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json': `#set($inputRoot = $input.path('$'))
$input.json('$')
#if($inputRoot.toString().contains("customerror"))
#set($context.responseOverride.status = 400)
#set($context.responseOverride.header.X-Override = "yes")
#else
#set($context.responseOverride.status = 202)
#end`,
                  },
                },
              ],
            },
          },
          async (event: unknown) => event,
        ),
        express,
      );
      const bad = await request(app).post('/prod/items/1').send({ customerror: true });
      expect(bad.status).toBe(400);
      expect(bad.headers['x-override']).toBe('yes');
      const good = await request(app).post('/prod/items/1').send({ fine: true });
      expect(good.status).toBe(202);
    });

    it('CONVERT_TO_BINARY decodes a base64 string result to bytes; an undecodable one is a 500', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      const app = createApp(
        api(
          {
            integration: {
              integrationResponses: [{ statusCode: '200', contentHandling: 'CONVERT_TO_BINARY' }],
            },
          },
          async (event: { bad?: boolean }) => (event.bad ? 'not base64!' : png.toString('base64')),
        ),
        express,
      );
      const res = await request(app)
        .get('/prod/items/1')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(Buffer.compare(res.body as Buffer, png)).toBe(0);
      const bad = await request(app).post('/prod/items/1').send({ bad: true });
      expect(bad.status).toBe(500);
    });

    it('answers 504 when the integration times out', async () => {
      const app = createApp(
        api({ integration: { integrationResponses: OK, timeoutInMillis: 50 } }, () => new Promise(() => {})),
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(504);
      expect(res.text).toBe('{"message": "Endpoint request timed out"}');
    });

    it('maps a function timeout through the integration responses like any error', async () => {
      const app = createApp(
        {
          ...api({
            integration: {
              integrationResponses: [
                { statusCode: '200' },
                { statusCode: '504', selectionPattern: '.*Task timed out.*' },
              ],
            },
          }),
          functions: { fn: { handler: () => new Promise(() => {}), timeout: 0.05 } },
        },
        express,
      );
      const res = await request(app).get('/prod/items/1');
      expect(res.status).toBe(504);
      expect(JSON.parse(res.text).errorMessage).toMatch(/Task timed out after 0\.05 seconds$/);
    });
  });
});

describe('AWS integration config errors', () => {
  const base = (
    integration: Partial<Integration>,
    methodResponses?: Method['methodResponses'],
  ): ApiGatewayOptions => ({
    functions: { fn: echo },
    logger: silentLogger(),
    resources: {
      '/x': { GET: { integration: { type: 'AWS', function: 'fn', ...integration }, methodResponses } },
    },
  });
  it.each([
    [
      { requestTemplates: { 'application/json': '#if($x' } },
      undefined,
      /^GET \/x: integration\.requestTemplates\["application\/json"\]: /,
    ],
    [
      { integrationResponses: [{ statusCode: '200' }, { statusCode: '200', selectionPattern: 'a' }] },
      undefined,
      /integrationResponses\[1\]\.statusCode: 200 is declared twice/,
    ],
    [
      { integrationResponses: [{ statusCode: '400', selectionPattern: '(' }] },
      undefined,
      /integrationResponses\[0\]\.selectionPattern/,
    ],
    [
      {
        integrationResponses: [
          { statusCode: '200', responseParameters: { 'method.response.header.X': "'v'" } },
        ],
      },
      [{ statusCode: '200' }],
      /responseParameters\["method\.response\.header\.X"\]: not declared/,
    ],
    [
      {
        integrationResponses: [
          { statusCode: '200', responseParameters: { 'method.response.header.X': 'nonsense' } },
        ],
      },
      undefined,
      /is not a mapping source/,
    ],
    [
      { requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Sometimes'" } },
      undefined,
      /invocation type/,
    ],
  ] as const)('rejects %j at startup', (integration, methodResponses, message) => {
    expect(() =>
      createApp(base(integration as Partial<Integration>, methodResponses as Method['methodResponses'])),
    ).toThrow(message);
  });
});
