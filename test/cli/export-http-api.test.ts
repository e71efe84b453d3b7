import path from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import { scratchFolder } from '../support/cli-process.js';

const PETS = path.join(__dirname, '../fixtures/definitions/http-api/openapi/pets.yaml');

const scratch = scratchFolder({
  'mixed/template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  RestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Rest:
          Type: Api
          Properties: { Path: /rest, Method: get }
  HttpFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Http:
          Type: HttpApi
          Properties: { Path: "/http/{id}", Method: get, PayloadFormatVersion: "1.0" }
`,
  'rest/template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  RestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Rest:
          Type: Api
          Properties: { Path: /rest, Method: get }
`,
  'sls/serverless.yml': `service: svc
provider:
  name: aws
  runtime: nodejs20.x
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi: { path: /hello, method: get }
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
  // The CLI logs through console.error: on stderr, whatever jest does with the console.
  const log = jest.spyOn(console, 'error').mockImplementation((...args) => {
    stderr += `${args.join(' ')}\n`;
  });
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
  }
}

const integration = (fn: string, payloadFormatVersion: string) => ({
  payloadFormatVersion,
  type: 'aws_proxy',
  httpMethod: 'POST',
  uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`,
  connectionType: 'INTERNET',
});

describe('apigw-express export of HTTP APIs', () => {
  it('writes a serverless.yml of httpApi events only as an HTTP API document', async () => {
    const { code, stdout, stderr } = await run(['export', path.join(scratch.dir, 'sls/serverless.yml')]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const document = JSON.parse(stdout);
    expect(document['x-amazon-apigateway-importexport-version']).toBe('1.0');
    expect(document.info.title).toBe('svc');
    expect(document.paths['/hello'].get['x-amazon-apigateway-integration']).toEqual(
      integration('hello', '2.0'),
    );
  });

  it('--http-api writes the HTTP API of a template that also has a REST API; without it, the REST API', async () => {
    const template = path.join(scratch.dir, 'mixed/template.yaml');
    const http = await run(['export', template, '--http-api']);
    expect(http.code).toBe(0);
    const document = JSON.parse(http.stdout);
    expect(Object.keys(document.paths)).toEqual(['/http/{id}']);
    expect(document.paths['/http/{id}'].get['x-amazon-apigateway-integration']).toEqual(
      integration('HttpFunction', '1.0'),
    );
    const rest = await run(['export', template]);
    expect(rest.code).toBe(0);
    const restDocument = JSON.parse(rest.stdout);
    expect(Object.keys(restDocument.paths)).toEqual(['/rest']);
    expect(restDocument['x-amazon-apigateway-importexport-version']).toBeUndefined();
  });

  it('--http-api on a definition without HTTP APIs exits 1, saying so', async () => {
    const { code, stdout, stderr } = await run([
      'export',
      path.join(scratch.dir, 'rest/template.yaml'),
      '--http-api',
    ]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('export --http-api: the definition declares no HTTP API');
  });

  it('an HTTP API OpenAPI file is read as one: export writes it back, routes lists it', async () => {
    const exported = await run(['export', PETS]);
    expect(exported.code).toBe(0);
    const document = JSON.parse(exported.stdout);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/$default',
      '/admin/{proxy+}',
      '/pets',
      '/pets/{id}',
    ]);
    expect(document.paths['/pets'].get['x-amazon-apigateway-integration']).toEqual(
      integration('EchoFunction', '1.0'),
    );
    expect(document.components.securitySchemes.keys['x-amazon-apigateway-authorizer'].type).toBe('request');
    expect(document['x-amazon-apigateway-cors'].allowOrigins).toEqual(['https://app.example.com']);
    const routes = await run(['routes', PETS]);
    expect(routes.code).toBe(0);
    expect(routes.stdout).toMatch(/GET\s+\/pets\s+HTTP API pets-http-api: AWS_PROXY EchoFunction \(1\.0\)/);
    // The AUTH column names the guard read from securitySchemes.
    expect(routes.stdout).toMatch(
      /GET\s+\/pets\/\{id\}\s+HTTP API pets-http-api: AWS_PROXY EchoFunction \(2\.0\)\s+JWT users\n/,
    );
    expect(routes.stdout).toMatch(/ANY\s+\/admin\/\{proxy\+\}\s+.*\(2\.0\)\s+CUSTOM keys\n/);
  });

  it('--http-api is export’s option only', async () => {
    const { code, stderr } = await run(['routes', PETS, '--http-api']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --http-api');
  });
});
