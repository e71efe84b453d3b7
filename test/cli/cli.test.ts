import path from 'node:path';
import { runCli, scratchFolder, serveCli } from '../support/cli-process.js';

// Every test starts a CLI process through tsx's require hook: seconds on a busy 2-core machine.
jest.setTimeout(30_000);

const EXAMPLE_API = path.join(__dirname, '../../example-app/api.js');

// Handlers that show what reached them: the stage, and variables from the env file and the environment.
const HELLO_API = `module.exports = {
  stageName: 'test',
  functions: {
    hello: async (event) => ({
      statusCode: 200,
      body: JSON.stringify({
        stage: event.requestContext.stage,
        fromFile: process.env.FROM_FILE ?? null,
        both: process.env.IN_BOTH ?? null,
      }),
    }),
  },
  resources: { '/hello': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
};
`;

const scratch = scratchFolder({
  'hello.js': HELLO_API,
  '.env': 'FROM_FILE=from .env\nIN_BOTH=from .env\n',
  'options.mjs': `export default ${HELLO_API.replace('module.exports = ', '')}`,
  'sam/template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: hello.handler
      Runtime: nodejs20.x
      Events:
        Hello:
          Type: Api
          Properties: { Path: /hello, Method: get }
`,
  'sam/hello.js':
    'exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.stage });',
  'unknown-function.js': `module.exports = {
  functions: {},
  resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', function: 'list-pets' } } } },
};`,
});
afterAll(() => scratch.remove());

describe('apigw-express serve', () => {
  it('serves a module on node:http under --stage, with --env-file variables that do not override set ones; SIGTERM exits 0', async () => {
    const server = await serveCli(['hello.js', '--stage', 'v1', '--env-file', '.env'], scratch.dir, {
      IN_BOTH: 'from the environment',
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(server.stdout()).toBe(
        `apigw-express: serving hello.js (options module), 1 route on ${server.url}\n`,
      );
      const res = await fetch(`${server.url}/hello`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stage: 'v1', fromFile: 'from .env', both: 'from the environment' });
      // Outside the stage: AWS's answer for a stage the API lacks, with a hint beside it.
      const outside = await fetch(`${server.url.replace(/\/v1$/, '')}/test/hello`);
      expect(outside.status).toBe(403);
      expect(outside.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
      expect(outside.headers.get('apigw-express-hint')).toBe('outside the stage served: /v1');
      expect(await outside.text()).toBe('{"message":"Forbidden"}');
      await server.waitFor(
        /apigw-express: GET \/test\/hello: 403 Forbidden, outside the stage served: \/v1\n/,
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 15_000);

  it('serves both stages SAM gives the implicit API, and hints at the case of a stage name', async () => {
    const server = await serveCli(['sam/template.yaml'], scratch.dir);
    try {
      const root = server.url.replace(/\/Prod$/, '');
      expect(server.stdout()).toBe(
        `apigw-express: working directory ${path.join(scratch.dir, 'sam')} (the functions' code root, as on Lambda)\n` +
          `apigw-express: serving sam/template.yaml (SAM/CloudFormation template), 1 route on ${root}/Prod and ${root}/Stage (stages Prod, Stage)\n`,
      );
      for (const stage of ['Prod', 'Stage']) {
        const res = await fetch(`${root}/${stage}/hello`);
        expect([res.status, await res.text()]).toEqual([200, stage]);
      }
      for (const path of ['/prod/hello', '/hello']) {
        const res = await fetch(`${root}${path}`);
        expect(res.status).toBe(403);
        expect(await res.text()).toBe('{"message":"Forbidden"}');
      }
      const hints = ['/prod/hello', '/hello'].map(
        (path) => `apigw-express: GET ${path}: 403 Forbidden, outside the stages served: /Prod, /Stage`,
      );
      await server.waitFor(/\/hello: 403 Forbidden, outside the stages served: \/Prod, \/Stage\n/);
      expect(server.stderr()).toContain(`${hints[0]} (stage names are case-sensitive: /Prod)\n`);
      expect(server.stderr()).toContain(`${hints[1]}\n`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 20_000);

  it('serves the --stage given alone, saying which stages the definition also declares', async () => {
    const server = await serveCli(['sam/template.yaml', '--stage', 'Stage'], scratch.dir);
    try {
      expect(server.stdout()).toBe(
        `apigw-express: working directory ${path.join(scratch.dir, 'sam')} (the functions' code root, as on Lambda)\n` +
          `apigw-express: serving sam/template.yaml (SAM/CloudFormation template), 1 route on ${server.url} (stage Stage; the definition also declares Prod)\n`,
      );
      const res = await fetch(`${server.url.replace(/\/Stage$/, '')}/Prod/hello`);
      expect(res.headers.get('apigw-express-hint')).toBe('outside the stage served: /Stage');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 20_000);

  it.concurrent('exits 1 naming the file when it is missing', async () => {
    expect(await runCli(['serve', 'missing.yaml'], scratch.dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'apigw-express: missing.yaml: no such file\n',
    });
  });

  it.concurrent('exits 1 with the ConfigError line when the options are invalid', async () => {
    expect(await runCli(['serve', 'unknown-function.js'], scratch.dir)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'apigw-express: unknown-function.js: GET /pets: integration.function: unknown function "list-pets" (known: none)\n',
    });
  });

  it.concurrent('exits 2 for a bad PORT', async () => {
    const result = await runCli(['serve', 'hello.js'], scratch.dir, { PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'apigw-express: PORT: "eighty" is not a port (0 to 65535)\nRun apigw-express --help for usage.\n',
    );
  });
});

describe('apigw-express routes', () => {
  it.concurrent('prints the route table of the example app', async () => {
    expect(await runCli(['routes', EXAMPLE_API])).toEqual({
      code: 0,
      stderr: '',
      stdout: `METHOD   PATH                 INTEGRATION                                                    AUTH
GET      /                    AWS_PROXY my-function                                          NONE
ANY      /inventory/{proxy+}  HTTP_PROXY ANY http://\${stageVariables.inventoryHost}/{proxy}  NONE
GET      /my-resource         AWS my-function2                                               NONE
POST     /orders              AWS create-order                                               NONE
POST     /orders-table        AWS dynamodb:action/PutItem                                    NONE
GET      /orders-table/{id}   AWS dynamodb:action/GetItem                                    NONE
POST     /pets                AWS_PROXY create-pet                                           NONE, API key
GET      /pets/{id}           AWS_PROXY get-pet                                              CUSTOM token-auth
OPTIONS  /pets/{id}           MOCK                                                           NONE
`,
    });
  });

  it.concurrent('reads an ES module’s default export', async () => {
    const result = await runCli(['routes', 'options.mjs'], scratch.dir);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: expect.stringContaining('GET     /hello  AWS_PROXY hello'),
    });
  });
});

const EXAMPLE = path.join(__dirname, '../../example-app');

describe('apigw-express export', () => {
  it.concurrent('prints the SAM example as OpenAPI 3 with its Lambda integrations', async () => {
    const result = await runCli(['export', path.join(EXAMPLE, 'template.yaml')]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const document = JSON.parse(result.stdout);
    expect(document.openapi).toMatch(/^3\.0/);
    expect(Object.keys(document.paths).sort()).toEqual(['/', '/my-resource']);
    expect(document.paths['/'].get['x-amazon-apigateway-integration']).toMatchObject({ type: 'aws_proxy' });
    expect(document.paths['/my-resource'].get['x-amazon-apigateway-integration'].requestTemplates).toEqual({
      'application/json': '{ "myParam": "$input.params(\'myParam\')" }',
    });
  });
});

describe('the example definitions, one command each', () => {
  it.each([['template.yaml'], ['openapi-api.js'], ['serverless.yml']])(
    'serves the walkthrough from %s',
    async (file) => {
      const server = await serveCli([path.join(EXAMPLE, file), '--port', '0'], EXAMPLE);
      try {
        expect(server.url).toMatch(/\/prod$/);
        const hello = await fetch(server.url);
        expect([hello.status, await hello.text()]).toEqual([200, 'Hello from Lambda!']);
        const mapped = await fetch(`${server.url}/my-resource?myParam=Hello%20from%20API%20Gateway!`);
        expect(await mapped.text()).toBe('{"statusCode":200,"body":"\\"Hello from API Gateway!\\""}');
      } finally {
        await server.stop();
      }
    },
    // serve starts an execution environment per function before it listens.
    20_000,
  );

  it.concurrent('lists the routes of the SAM example', async () => {
    const result = await runCli(['routes', path.join(EXAMPLE, 'template.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/GET\s+\/\s+AWS_PROXY MyFunction/);
    expect(result.stdout).toMatch(/GET\s+\/my-resource\s+AWS MyFunction2/);
  });
});

describe('apigw-express usage', () => {
  it.concurrent('exits 2 for an unknown command', async () => {
    expect(await runCli(['start', 'template.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'apigw-express: unknown command "start" (commands: serve, routes, export, invoke)\nRun apigw-express --help for usage.\n',
    });
  });

  it.concurrent('prints the program help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: apigw-express <command> <file> \[options\]\n/);
    expect(result.stderr).toBe('');
  });
});
