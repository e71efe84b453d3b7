import path from 'node:path';
import { runCli, scratchFolder, serveCli } from '../support/cli-process.js';

// Every test starts a CLI process through tsx's require hook: seconds on a busy 2-core machine.
jest.setTimeout(30_000);

const HANDLER =
  'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ version: event.version ?? "REST", stage: event.requestContext.stage }) });';

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
          Properties: { Path: /http, Method: get }
`,
  'mixed/app.js': HANDLER,
  'sls/serverless.yml': `service: pets
provider:
  name: aws
functions:
  hello:
    handler: app.handler
    events:
      - httpApi: 'GET /hello'
`,
  'sls/app.js': HANDLER,
});
afterAll(() => scratch.remove());

describe('apigw-express serve with HTTP APIs', () => {
  it('serves a template mixing a REST API and an HTTP API, both in the banner', async () => {
    const server = await serveCli(['mixed/template.yaml', '--quiet'], scratch.dir);
    try {
      const root = server.url.replace(/\/Prod$/, '');
      expect(server.stdout()).toContain(
        `apigw-express: serving mixed/template.yaml (SAM/CloudFormation template), 1 route on ${root}/Prod and ${root}/Stage (stages Prod, Stage); HTTP API ServerlessHttpApi: 1 route on ${root}/\n`,
      );
      const rest = await fetch(`${root}/Prod/rest`);
      expect([rest.status, await rest.json()]).toEqual([200, { version: 'REST', stage: 'Prod' }]);
      const http = await fetch(`${root}/http`);
      expect([http.status, await http.json()]).toEqual([200, { version: '2.0', stage: '$default' }]);
      const missing = await fetch(`${root}/nowhere`);
      expect([missing.status, await missing.text()]).toEqual([404, '{"message":"Not Found"}']);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('serves a serverless.yml of httpApi events only', async () => {
    const server = await serveCli(['sls/serverless.yml', '--quiet'], scratch.dir);
    try {
      expect(server.stdout()).toContain('(Serverless Framework service), HTTP API pets: 1 route on http://');
      const res = await fetch(`${server.url}hello`);
      expect([res.status, await res.json()]).toEqual([200, { version: '2.0', stage: '$default' }]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('routes lists the HTTP API routes beside the REST ones', async () => {
    const result = await runCli(['routes', path.join(scratch.dir, 'mixed/template.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/GET\s+\/rest\s+AWS_PROXY RestFunction/);
    expect(result.stdout).toMatch(
      /GET\s+\/http\s+HTTP API ServerlessHttpApi: AWS_PROXY HttpFunction \(2\.0\)/,
    );
  });
});
