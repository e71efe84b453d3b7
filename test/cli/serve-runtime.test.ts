import fs from 'node:fs';
import path from 'node:path';
import { type CliServer, scratchFolder, serveCli } from '../support/cli-process.js';

// One code root (src/) for every function; serve is started from the folder above it.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: src/
    Runtime: nodejs20.x
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
        Authorizers:
          LateThrow:
            FunctionArn: !GetAtt AuthorizerFunction.Arn
          NeverAnswers:
            FunctionArn: !GetAtt StuckAuthorizerFunction.Arn
  AuthorizerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: auth.allowThenThrow
  StuckAuthorizerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: auth.throwBeforeAnswer
  ReadFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.read
      MemorySize: 256
      Events:
        Read: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /read, Method: get } }
        Env: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /env, Method: get } }
        Guarded:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /guarded, Method: get, Auth: { Authorizer: LateThrow } }
        Stuck:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /stuck, Method: get, Auth: { Authorizer: NeverAnswers } }
  LateFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.late
      Events:
        AnswerThenThrow: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /answer-then-throw, Method: get } }
        ThrowBeforeAnswer: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /throw-before-answer, Method: get } }
        Reject: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /reject, Method: get } }
`;

const APP = `const fs = require('node:fs');
const NAMES = ['LAMBDA_TASK_ROOT', '_HANDLER', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_REGION',
  'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'LAMBDA_RUNTIME_DIR'];
exports.read = async (event, context) => {
  if (event.path === '/env') {
    const env = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
    return { statusCode: 200, body: JSON.stringify({ env, cwd: process.cwd(), stream: context.logStreamName }) };
  }
  return { statusCode: 200, body: fs.readFileSync('./data.json', 'utf8') };
};
exports.late = (event, context, callback) => {
  if (event.path === '/answer-then-throw') {
    callback(null, { statusCode: 200, body: 'answered' });
    setTimeout(() => { throw new Error('thrown after the answer'); }, 0);
  } else if (event.path === '/throw-before-answer') {
    setTimeout(() => { throw new Error('thrown before any answer'); }, 0);
  } else {
    Promise.reject(new Error('nobody awaits this'));
  }
};
`;

const AUTH = `const allow = (event) => ({
  principalId: 'user',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
});
// As an app whose key fetch fails after it has called back.
exports.allowThenThrow = (event, context, callback) => {
  callback(null, allow(event));
  setTimeout(() => { throw new Error('JWKS fetch failed'); }, 0);
};
exports.throwBeforeAnswer = (event, context, callback) => {
  setTimeout(() => { throw new Error('JWKS fetch failed'); }, 0);
};
`;

const scratch = scratchFolder({
  'template.yaml': TEMPLATE,
  'src/app.js': APP,
  'src/auth.js': AUTH,
  'src/data.json': '{"from":"data.json"}',
  // Two code roots: the working directory stays where serve started.
  'two-roots.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: one/
      Handler: index.handler
      Runtime: nodejs20.x
      Events: { Get: { Type: Api, Properties: { Path: /one, Method: get } } }
  Two:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: two/
      Handler: index.handler
      Runtime: nodejs20.x
      Events: { Get: { Type: Api, Properties: { Path: /two, Method: get } } }
`,
  'one/index.js': `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify([process.env.LAMBDA_TASK_ROOT, process.env._HANDLER, process.env.AWS_LAMBDA_FUNCTION_NAME, process.cwd()]) });`,
  'two/index.js': `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify([process.env.LAMBDA_TASK_ROOT, process.env._HANDLER, process.env.AWS_LAMBDA_FUNCTION_NAME, process.cwd()]) });`,
});
afterAll(() => scratch.remove());

const SRC = path.join(scratch.dir, 'src');
const authorization = { Authorization: 'token' };

describe('serve runs functions as the Lambda runtime does', () => {
  let server: CliServer;
  beforeAll(async () => {
    server = await serveCli(['template.yaml'], scratch.dir, { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
  }, 20_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('moves to the one code root, so a file read by relative path is found', async () => {
    expect(server.stdout()).toContain(
      `apigw-express: working directory ${SRC} (the functions' code root, as on Lambda)\n`,
    );
    const res = await fetch(`${server.url}/read`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'data.json' });
  });

  it("gives the handler its function's runtime variables", async () => {
    const res = await fetch(`${server.url}/env`);
    expect(res.status).toBe(200);
    const { env, cwd, stream } = await res.json();
    expect(cwd).toBe(SRC);
    expect(env).toEqual({
      LAMBDA_TASK_ROOT: SRC,
      _HANDLER: 'app.read',
      AWS_LAMBDA_FUNCTION_NAME: 'ReadFunction',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ReadFunction',
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      LAMBDA_RUNTIME_DIR: '/var/runtime',
    });
    expect(stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('logs a throw after the answer as the runtime does and keeps serving', async () => {
    const from = server.output().length;
    const res = await fetch(`${server.url}/answer-then-throw`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('answered');
    await server.waitFor(/Uncaught Exception/, from);
    expect(server.output().slice(from)).toMatch(
      /\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"thrown after the answer","stack":\["Error: thrown after the answer","\s+at /,
    );
    expect((await fetch(`${server.url}/read`)).status).toBe(200);
  });

  it('fails the request a late throw comes from while it is open: 502 at once, not the timeout', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/throw-before-answer`);
    expect(res.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(2500); // the function's timeout is 3 s
    expect(await res.json()).toEqual({ message: 'Internal server error' });
    expect((await fetch(`${server.url}/read`)).status).toBe(200);
  });

  it('fails it for a rejection nobody awaits, logged as the runtime logs it', async () => {
    const from = server.output().length;
    const res = await fetch(`${server.url}/reject`);
    expect(res.status).toBe(502);
    await server.waitFor(/Unhandled Promise Rejection/, from);
    expect(server.output().slice(from)).toMatch(
      /\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: nobody awaits this","reason":\{"errorType":"Error","errorMessage":"nobody awaits this","stack":\[/,
    );
    expect((await fetch(`${server.url}/read`)).status).toBe(200);
  });

  it('survives an authorizer that allows and then throws; the next request is served', async () => {
    const from = server.output().length;
    const first = await fetch(`${server.url}/guarded`, { headers: authorization });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ from: 'data.json' });
    await server.waitFor(
      /Uncaught Exception \t\{"errorType":"Error","errorMessage":"JWKS fetch failed"/,
      from,
    );
    const read = await fetch(`${server.url}/read`);
    expect(read.status).toBe(200);
  });

  it("answers 500 when an authorizer's late throw comes before its answer", async () => {
    const res = await fetch(`${server.url}/stuck`, { headers: authorization });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: null });
    expect((await fetch(`${server.url}/read`)).status).toBe(200);
  });
});

describe('serve with several code roots', () => {
  it('runs each function in its own code root, in execution environments of its own', async () => {
    const server = await serveCli(['two-roots.yaml'], scratch.dir);
    try {
      const one = path.join(scratch.dir, 'one');
      const two = path.join(scratch.dir, 'two');
      expect(server.stdout()).not.toContain('code roots');
      const [a, b] = await Promise.all([fetch(`${server.url}/one`), fetch(`${server.url}/two`)]);
      expect(await a.json()).toEqual([one, 'index.handler', 'One', one]);
      expect(await b.json()).toEqual([two, 'index.handler', 'Two', two]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 20_000);

  it('with --isolation none, says so at startup and keeps the working directory; each function still sees its own root', async () => {
    const server = await serveCli(['two-roots.yaml', '--isolation', 'none'], scratch.dir);
    try {
      const one = path.join(scratch.dir, 'one');
      const two = path.join(scratch.dir, 'two');
      expect(server.stdout()).toContain(
        `apigw-express: the functions have 2 code roots (${one}, ${two}); the working directory stays ${scratch.dir}, so a path relative to it is not relative to a function's code as on Lambda\n`,
      );
      const [a, b] = await Promise.all([fetch(`${server.url}/one`), fetch(`${server.url}/two`)]);
      expect(await a.json()).toEqual([one, 'index.handler', 'One', scratch.dir]);
      expect(await b.json()).toEqual([two, 'index.handler', 'Two', scratch.dir]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 20_000);
});

describe('serve --watch from a code root', () => {
  it('reloads an options module whose paths are relative to where serve started, and stays in the code root', async () => {
    const module = (route: string) => `module.exports = {
  functions: { read: { handler: 'read.handler', codeUri: 'code' } },
  resources: { '${route}': { GET: { integration: { type: 'AWS_PROXY', function: 'read' } } } },
};
`;
    const folder = scratchFolder({
      'api.js': module('/first'),
      'code/read.js': `exports.handler = async () => ({ statusCode: 200, body: require('fs').readFileSync('data.txt', 'utf8') });`,
      'code/data.txt': 'read by relative path',
    });
    const server = await serveCli(['api.js', '--watch'], folder.dir);
    try {
      await server.waitFor(/watching /);
      expect(server.stdout()).toContain(`working directory ${path.join(folder.dir, 'code')} `);
      expect(await (await fetch(`${server.url}/first`)).text()).toBe('read by relative path');
      const from = server.output().length;
      fs.writeFileSync(path.join(folder.dir, 'api.js'), module('/second'));
      await server.waitFor(/reloaded api\.js, 1 route\n/, from);
      const res = await fetch(`${server.url}/second`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('read by relative path');
    } finally {
      expect(await server.stop()).toBe(0);
      folder.remove();
    }
  }, 30_000);
});
