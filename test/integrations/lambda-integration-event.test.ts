import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { type ApiGatewayOptions, apiGateway } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';

// The smallest service that gets the framework's default request templates (JSON and form).
const SERVERLESS_YML = `service: forms
provider:
  name: aws
  runtime: nodejs20.x
functions:
  submit:
    handler: handler.submit
    events:
      - http:
          path: contact
          method: post
          integration: lambda
`;

const HOST = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';

async function serverlessApp(express: ExpressFactory, received: unknown[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-forms-'));
  fs.writeFileSync(path.join(dir, 'serverless.yml'), SERVERLESS_YML);
  const gateway = apiGateway({
    serverless: path.join(dir, 'serverless.yml'),
    functions: {
      submit: async (event: unknown) => {
        received.push(event);
        return { ok: true };
      },
    },
    logger: silentLogger(),
  });
  await gateway.ready;
  const app = express();
  app.use(gateway);
  return app;
}

/** The identity block AWS renders with the framework's template when nobody signed the request. */
const ANONYMOUS_IDENTITY = {
  cognitoIdentityPoolId: '',
  accountId: '',
  cognitoIdentityId: '',
  caller: '',
  sourceIp: expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/),
  principalOrgId: '',
  accessKey: '',
  cognitoAuthenticationType: '',
  cognitoAuthenticationProvider: '',
  userArn: '',
  userAgent: "it's",
  user: '',
};

function frameworkEvent(body: unknown, contentType: string) {
  return {
    body,
    method: 'POST',
    principalId: '',
    stage: 'dev',
    cognitoPoolClaims: { sub: '' },
    enhancedAuthContext: {},
    headers: {
      'Content-Type': contentType,
      'User-Agent': "it's",
      Host: HOST,
      'Accept-Encoding': 'gzip, deflate',
      'X-Amzn-Trace-Id': expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      'X-Forwarded-For': expect.any(String),
      'X-Forwarded-Port': expect.stringMatching(/^\d+$/),
      'X-Forwarded-Proto': 'http',
    },
    query: {},
    path: {},
    identity: ANONYMOUS_IDENTITY,
    stageVariables: {},
    requestPath: '/contact',
  };
}

describe.each(EXPRESS_VERSIONS)('integration: lambda events on Express %s', (_v, express) => {
  it('turns a form post into the framework event: fields decoded, identity fields ""', async () => {
    const received: unknown[] = [];
    const app = await serverlessApp(express, received);
    const res = await request(app)
      .post('/dev/contact')
      .set('Host', HOST)
      .set('User-Agent', "it's")
      .type('form')
      .send('name=Ann+Lee&email=ann%40example.com&note=it%27s+%22ok%22%0Aline+2&empty=&flag');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual(
      frameworkEvent(
        { name: 'Ann Lee', email: 'ann@example.com', note: 'it\'s "ok"\nline 2', empty: '', flag: '' },
        'application/x-www-form-urlencoded',
      ),
    );
    expect(Object.keys((received[0] as { identity: object }).identity)).toEqual(
      Object.keys(ANONYMOUS_IDENTITY),
    );
  });

  it('gives a JSON post the same identity block, without stale values', async () => {
    const received: unknown[] = [];
    const app = await serverlessApp(express, received);
    const res = await request(app)
      .post('/dev/contact')
      .set('Host', HOST)
      .set('User-Agent', "it's")
      .send({ a: 1 });
    expect(res.status).toBe(200);
    expect(received[0]).toEqual(frameworkEvent({ a: 1 }, 'application/json'));
    expect(Object.keys((received[0] as { identity: object }).identity)).toEqual(
      Object.keys(ANONYMOUS_IDENTITY),
    );
  });
});

describe.each(EXPRESS_VERSIONS)('non-JSON payloads in requestTemplates on Express %s', (_v, express) => {
  const received: unknown[] = [];
  const options: ApiGatewayOptions = {
    stageName: 'prod',
    functions: {
      notes: async (event: unknown) => {
        received.push(event);
        return { ok: true };
      },
    },
    resources: {
      '/notes': {
        POST: {
          integration: {
            type: 'AWS',
            function: 'notes',
            requestTemplates: {
              'text/plain':
                '{"json": $input.json(\'$\'), "path": "$input.path(\'$\')", "missing": "$input.path(\'$.a\')", ' +
                '"missingJson": "$input.json(\'$.a\')", "param": "$input.params(\'q\')", "body": "$input.body"}',
              'application/json':
                '#set($v = "stale")#set($v = $context.identity.caller)' +
                '{"caller": "$v", "keys": [#foreach($k in $context.identity.keySet())"$k"#if($foreach.hasNext),#end#end], ' +
                '"parsed": $input.json(\'$\')}',
            },
            integrationResponses: [{ statusCode: '200' }],
          },
        },
      },
    },
  };

  beforeEach(() => {
    received.length = 0;
  });

  it('reads a text body as one string: $input.path gives it, $input.json quotes it, a deeper path is empty', async () => {
    const res = await request(createApp(options, express))
      .post('/prod/notes?q=1')
      .type('text/plain')
      .send('  hello, world  ');
    expect(res.status).toBe(200);
    expect(received).toEqual([
      {
        json: 'hello, world',
        path: 'hello, world',
        missing: '',
        missingJson: '',
        param: '1',
        body: '  hello, world  ',
      },
    ]);
  });

  it('renders an absent identity field as "" (no stale #set value), and no apiKey without a key; a broken JSON body is still a 500', async () => {
    const app = createApp(options, express);
    const res = await request(app)
      .post('/prod/notes')
      .send({ a: [1, 2] });
    expect(res.status).toBe(200);
    expect(received).toEqual([
      {
        caller: '',
        keys: Object.keys(ANONYMOUS_IDENTITY),
        parsed: { a: [1, 2] },
      },
    ]);
    const broken = await request(app).post('/prod/notes').type('application/json').send('{"a": ');
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ message: 'Internal server error' });
    expect(received).toHaveLength(1);
  });
});
