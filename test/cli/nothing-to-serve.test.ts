import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import { scratchFolder } from '../support/cli-process.js';

// Definitions CloudFormation would refuse, or that hold nothing a REST API serves: every command exits 1, saying why.
const scratch = scratchFolder({
  'http-api/serverless.yml': `service: svc
provider:
  name: aws
  runtime: nodejs20.x
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi: { path: /hello, method: get }
`,
  'no-transform.yaml': `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get:
          Type: Api
          Properties: { Path: /x, Method: get, RestApiId: !Ref Api }
`,
});
afterAll(() => scratch.remove());

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += chunk;
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += chunk;
    return true;
  });
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('a definition with nothing to serve', () => {
  const serverless = path.join(scratch.dir, 'http-api/serverless.yml');

  // httpApi events are an HTTP API (v2) now: routes lists it, export writes it.
  it('routes lists the HTTP API of a serverless.yml with httpApi events only', async () => {
    const { code, stdout } = await run(['routes', serverless]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/GET\s+\/hello\s+HTTP API svc: AWS_PROXY hello \(2\.0\)/);
  });

  it('export writes the HTTP API of a serverless.yml with httpApi events only', async () => {
    const { code, stdout } = await run(['export', serverless]);
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout).paths)).toEqual(['/hello']);
  });

  it.each([['serve', '--port', '0'], ['routes'], ['export']])(
    '%s refuses a SAM template without its Transform, as CloudFormation does',
    async (command, ...flags) => {
      const { code, stderr } = await run([command, path.join(scratch.dir, 'no-transform.yaml'), ...flags]);
      expect(code).toBe(1);
      expect(stderr).toContain(
        'template: Template format error: Unrecognized resource types: [AWS::Serverless::Api, AWS::Serverless::Function] (the AWS::Serverless::* types need Transform: AWS::Serverless-2016-10-31)\n',
      );
    },
  );
});

describe('--stack-name', () => {
  const template = path.join(scratch.dir, 'stack.yaml');
  beforeAll(() => {
    fs.writeFileSync(
      template,
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        openapi: 3.0.1
        info: { title: t, version: '1' }
        paths:
          /x:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${AWS::StackName}-fn/invocations
`,
    );
  });

  it('is the template’s AWS::StackName (default local, as sam local)', async () => {
    expect((await run(['routes', template, '--stack-name', 'shop'])).stderr).toContain(
      'unknown function "shop-fn"',
    );
    expect((await run(['routes', template])).stderr).toContain('unknown function "local-fn"');
  });

  it('is refused for an options module, which has no stack', async () => {
    const module = path.join(scratch.dir, 'api.js');
    fs.writeFileSync(module, 'module.exports = { resources: {} };');
    const { code, stderr } = await run(['routes', module, '--stack-name', 'shop']);
    expect(code).toBe(2);
    expect(stderr).toContain('--stack-name: ');
  });
});
