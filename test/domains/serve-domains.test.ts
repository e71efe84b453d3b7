import request from 'supertest';
import { type CliServer, scratchFolder, serveCli } from '../support/cli-process.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
        BasePath: [/v1]
  Pets:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: '/pets/{id}', Method: get } }
`;

const APP = `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ path: event.path, domainName: event.requestContext.domainName, stage: event.requestContext.stage }),
});
`;

const scratch = scratchFolder({ 'template.yaml': TEMPLATE, 'src/app.js': APP });
afterAll(() => scratch.remove());

describe("serve: a template's custom domain", () => {
  let server: CliServer;
  beforeAll(async () => {
    server = await serveCli(['template.yaml'], scratch.dir);
  }, 20_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('says which domains it serves', async () => {
    await server.waitFor(/custom domains/);
    expect(server.stdout()).toContain(
      'apigw-express: custom domains api.example.com: requests with that Host header go through their base path mappings',
    );
  });

  it('serves a request whose Host is the domain through its mapping, others in the execute-api form', async () => {
    const origin = new URL(server.url).origin;
    const mapped = await request(origin).get('/v1/pets/7').set('Host', 'api.example.com');
    expect(mapped.status).toBe(200);
    expect(JSON.parse(mapped.text)).toEqual({
      path: '/v1/pets/7',
      domainName: 'api.example.com',
      stage: 'prod',
    });
    const unmapped = await request(origin).get('/v2/pets/7').set('Host', 'api.example.com');
    expect(unmapped.status).toBe(403);
    expect(unmapped.text).toBe('{"message":"Forbidden"}');
    const direct = await request(origin).get('/prod/pets/7');
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.text).path).toBe('/pets/7');
  });
});
