import request from 'supertest';
import { type ApiGatewayOptions, apiGateway, ConfigError } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

// Nested quantifiers: a backtracking engine takes minutes on this string; RE2 answers at once.
const CATASTROPHIC = '^(a+)+$';
const EVIL = `${'a'.repeat(31)}!`;

const modelApi = (pattern: string): ApiGatewayOptions => ({
  logger: silentLogger(),
  functions: { echo: echoEvent },
  models: {
    Pet: {
      type: 'object',
      properties: { name: { type: 'string', pattern } },
      patternProperties: { [pattern]: { type: 'integer' } },
      required: ['name'],
    },
  },
  requestValidators: { body: { validateRequestBody: true } },
  resources: {
    '/pets': {
      POST: { ...proxy('echo'), requestValidator: 'body', requestModels: { 'application/json': 'Pet' } },
    },
  },
});

const tokenApi = (expression: string, calls: string[]): ApiGatewayOptions => ({
  logger: silentLogger(),
  functions: {
    echo: echoEvent,
    auth: async (event: { authorizationToken: string; methodArn: string }) => {
      calls.push(event.authorizationToken);
      return {
        principalId: 'user',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
        },
      };
    },
  },
  authorizers: { token: { type: 'TOKEN', function: 'auth', identityValidationExpression: expression } },
  resources: { '/pets': { GET: { ...proxy('echo'), authorizationType: 'CUSTOM', authorizer: 'token' } } },
});

function startupError(options: ApiGatewayOptions): Error {
  try {
    apiGateway(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a ConfigError');
}

describe.each(EXPRESS_VERSIONS)('author regexes run in linear time (Express %s)', (_v, express) => {
  it('answers a catastrophic model pattern at once: 400 Invalid request body for a string that does not match', async () => {
    const app = createApp(modelApi(CATASTROPHIC), express);
    const res = await request(app).post('/prod/pets').send({ name: EVIL });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(res.text).toBe('{"message": "Invalid request body"}');
    const ok = await request(app).post('/prod/pets').send({ name: 'aaaa' });
    expect(ok.status).toBe(200);
  });

  it('answers a catastrophic patternProperties key at once', async () => {
    const app = createApp(modelApi(CATASTROPHIC), express);
    const evilKey = await request(app)
      .post('/prod/pets')
      .send({ name: 'aaa', [EVIL]: 'not checked: the key does not match' });
    expect(evilKey.status).toBe(200);
    const matchingKey = await request(app).post('/prod/pets').send({ name: 'aaa', aaaa: 'not an integer' });
    expect(matchingKey.status).toBe(400);
    expect(matchingKey.text).toBe('{"message": "Invalid request body"}');
  });

  it('answers a catastrophic identityValidationExpression at once: 401 without invoking the authorizer', async () => {
    const calls: string[] = [];
    const app = createApp(tokenApi(CATASTROPHIC, calls), express);
    const res = await request(app).get('/prod/pets').set('Authorization', EVIL);
    expect(res.status).toBe(401);
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    expect(res.text).toBe('{"message":"Unauthorized"}');
    expect(calls).toEqual([]);
    const ok = await request(app).get('/prod/pets').set('Authorization', 'aaaa');
    expect(ok.status).toBe(200);
    expect(calls).toEqual(['aaaa']);
  });

  it('keeps Java whole-string semantics for identityValidationExpression: $ before the end, no partial match', async () => {
    const calls: string[] = [];
    const app = createApp(tokenApi('^Bearer [-0-9a-zA-Z._]+$', calls), express);
    expect((await request(app).get('/prod/pets').set('Authorization', 'Bearer abc.def')).status).toBe(200);
    expect((await request(app).get('/prod/pets').set('Authorization', 'Bearer abc def')).status).toBe(401);
    expect((await request(app).get('/prod/pets').set('Authorization', 'xBearer abc')).status).toBe(401);
    // A Java `$` may stop before a final line terminator, but matches() still needs the whole token.
    expect((await request(app).get('/prod/pets').set('Authorization', 'Bearer abc\x85')).status).toBe(401);
    expect(calls).toEqual(['Bearer abc.def']);
  });

  it('keeps a leading lookahead, as a password-style model pattern uses it', async () => {
    const app = createApp(modelApi('^(?=.*[A-Z])(?!.*\\s).{4,}$'), express);
    expect((await request(app).post('/prod/pets').send({ name: 'Rexy' })).status).toBe(200);
    expect((await request(app).post('/prod/pets').send({ name: 'rexy' })).status).toBe(400);
    expect((await request(app).post('/prod/pets').send({ name: 'Re xy' })).status).toBe(400);
  });
});

describe('author regexes RE2 cannot run refuse to start', () => {
  it.each([
    ['a backreference', '^(a)\\1$', 'a backreference'],
    ['a lookahead past the start', 'a(?=b)', 'a lookahead other than right after a leading ^'],
  ])('a model pattern with %s is a ConfigError naming the model', (_name, pattern, what) => {
    const error = startupError(modelApi(pattern));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `models["Pet"]: regular expression /${pattern}/: ${what} is not supported (patterns run on RE2, in time linear in the input, so no client string can stall the gateway)`,
    );
  });

  it('an identityValidationExpression with a backreference is a ConfigError naming the authorizer', () => {
    const error = startupError(tokenApi('(Bearer) \\1', []));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^authorizers\["token"\]\.identityValidationExpression: regular expression \/.*\/: a backreference is not supported/,
    );
  });
});
