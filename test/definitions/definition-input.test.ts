import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { parseCommand } from '../../src/cli/parse-command.js';
import { importOpenApi } from '../../src/definitions/openapi-import.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

/** A "billion laughs" document: each level lists the previous one ten times, `levels` deep. */
function aliasBomb(levels: number): string {
  const lines = ['lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= levels; i++) {
    const previous = `*lol${i - 1}`;
    lines.push(`lol${i}: &lol${i} [${Array(10).fill(previous).join(', ')}]`);
  }
  return lines.map((line) => `  ${line}`).join('\n');
}

// Five levels expand to 10^6 strings: readable without a limit, so the refusal is the limit's.
const BOMB = aliasBomb(5);

const handler = async () => ({ statusCode: 200, body: 'ok' });

async function readyError(options: Parameters<typeof apiGateway>[0]): Promise<Error> {
  const gateway = apiGateway({ logger: silentLogger(), ...options });
  return gateway.ready.then(
    () => {
      throw new Error('expected the definition to be refused');
    },
    (error: Error) => error,
  );
}

function openApi(schemaRef: string): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'refs', version: '1' },
    paths: {
      '/pets': {
        post: {
          requestBody: { content: { 'application/json': { schema: { $ref: schemaRef } } } },
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations',
          },
        },
      },
    },
  };
}

describe('definitions are input: YAML alias bombs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'apigw-yaml-'));
  const bombMessage = /aliases expand beyond 100 nodes \(a YAML alias bomb\?\); refused rather than expanded/;

  it('refuses a SAM/CloudFormation template whose aliases explode, with a ConfigError', async () => {
    const file = join(tmp, 'template.yaml');
    writeFileSync(
      file,
      `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nMetadata:\n${BOMB}\nResources: {}\n`,
    );
    const error = await readyError({ template: file });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(bombMessage);
    expect(error.message).toContain(file);
  });

  it('refuses the full billion laughs (10^9 strings) too, before expanding it', async () => {
    const file = join(tmp, 'billion.yaml');
    writeFileSync(
      file,
      `AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n${aliasBomb(8)}\nResources: {}\n`,
    );
    const error = await readyError({ template: file });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(bombMessage);
  });

  it('refuses a serverless.yml whose aliases explode, and one in a file it includes', async () => {
    const service = join(tmp, 'serverless.yml');
    writeFileSync(service, `service: pets\nprovider: { name: aws }\ncustom:\n${BOMB}\nfunctions: {}\n`);
    const error = await readyError({ serverless: service });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(bombMessage);

    const dir = join(tmp, 'included');
    mkdirSync(dir);
    writeFileSync(join(dir, 'provider.yml'), `name: aws\nx-bomb:\n${BOMB}\n`);
    writeFileSync(
      join(dir, 'serverless.yml'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Serverless Framework's variable syntax
      'service: pets\nprovider: ${file(./provider.yml)}\nfunctions: {}\n',
    );
    const included = await readyError({ serverless: join(dir, 'serverless.yml') });
    expect(included).toBeInstanceOf(ConfigError);
    expect(included.message).toMatch(bombMessage);
  });

  it('refuses an OpenAPI document whose aliases explode', async () => {
    const file = join(tmp, 'openapi.yaml');
    writeFileSync(file, `openapi: 3.0.1\ninfo: { title: t, version: '1' }\nx-bomb:\n${BOMB}\npaths: {}\n`);
    const error = await readyError({ openapi: file });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(bombMessage);
  });

  it('still reads anchors and aliases used as templates use them', async () => {
    const file = join(tmp, 'anchors.yaml');
    const uses = Array.from({ length: 50 }, (_, i) => `    p${i}: *runtime`).join('\n');
    writeFileSync(
      file,
      `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nMetadata:\n  shared: &runtime nodejs20.x\n  uses:\n${uses}\nResources:\n  Pets:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: *runtime\n      Events:\n        Get:\n          Type: Api\n          Properties: { Path: /pets, Method: get }\n`,
    );
    const gateway = apiGateway({ logger: silentLogger(), template: file, functions: { Pets: handler } });
    await expect(gateway.ready).resolves.toBeUndefined();
  });
});

describe('definitions are input: OpenAPI $refs stay in the definition folder', () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'apigw-refs-')));
  const folder = join(tmp, 'api');
  mkdirSync(folder);
  writeFileSync(join(tmp, 'outside.yaml'), 'type: object\nrequired: [name]\n');
  writeFileSync(join(folder, 'pet.yaml'), 'type: object\nrequired: [name]\n');
  symlinkSync(join(tmp, 'outside.yaml'), join(folder, 'link.yaml'));

  let server: Server;
  let hits = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end('type: object\nrequired: [name]\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits = 0;
  });

  async function refused(ref: string, message: RegExp | string) {
    const file = join(folder, 'openapi.yaml');
    writeFileSync(file, toYaml(openApi(ref)));
    const error = await readyError({ openapi: file, functions: { pets: handler } });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  }

  it('reads a $ref to a file under the folder', async () => {
    const file = join(folder, 'openapi.yaml');
    writeFileSync(file, toYaml(openApi('./pet.yaml')));
    const gateway = apiGateway({ logger: silentLogger(), openapi: file, functions: { pets: handler } });
    await expect(gateway.ready).resolves.toBeUndefined();
  });

  it.each([
    ['a parent-relative path', '../outside.yaml'],
    ['a parent path written with an encoded slash', '..%2Foutside.yaml'],
  ])('refuses %s out of the folder', async (_name, ref) => {
    await refused(ref, `is outside the definition's folder ${folder}; only files under it are read`);
  });

  it('refuses an absolute path and a file: URL outside the folder', async () => {
    await refused(join(tmp, 'outside.yaml'), /is outside the definition's folder/);
    await refused(`file://${join(tmp, 'outside.yaml')}`, /is outside the definition's folder/);
  });

  it('refuses a symbolic link in the folder that points out of it', async () => {
    await refused('./link.yaml', /\$ref ".*link\.yaml": .*link\.yaml is outside the definition's folder/);
  });

  it('refuses the same refs in a document given as an object, against its baseDir', async () => {
    const ctx = { baseDir: folder, logger: silentLogger() };
    await expect(importOpenApi(openApi('./pet.yaml'), ctx)).resolves.toBeDefined();
    await expect(importOpenApi(openApi('../outside.yaml'), ctx)).rejects.toThrow(
      new ConfigError(
        `openapi: the document: $ref "${join(tmp, 'outside.yaml')}": ${join(tmp, 'outside.yaml')} is outside the definition's folder ${folder}; only files under it are read`,
      ),
    );
  });

  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${port}/x.yaml`],
    ['localhost', () => `http://localhost:${port}/x.yaml`],
    ['0.0.0.0', () => `http://0.0.0.0:${port}/x.yaml`],
    ['127.1', () => `http://127.1:${port}/x.yaml`],
    ['[::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${port}/x.yaml`],
    ['localhost.', () => `http://localhost.:${port}/x.yaml`],
  ])('never fetches a URL (%s) without allowRemoteRefs', async (_host, url) => {
    await refused(url(), 'a URL is not fetched unless allowRemoteRefs: true is given');
    expect(hits).toBe(0);
  });

  it('fetches a URL when allowRemoteRefs is given', async () => {
    const file = join(folder, 'remote.yaml');
    writeFileSync(file, toYaml(openApi(`http://127.0.0.1:${port}/pet.yaml`)));
    const gateway = apiGateway({
      logger: silentLogger(),
      openapi: file,
      allowRemoteRefs: true,
      functions: { pets: handler },
    });
    await expect(gateway.ready).resolves.toBeUndefined();
    expect(hits).toBeGreaterThan(0);
  });

  it('refuses allowRemoteRefs that is not a boolean', async () => {
    const error = await readyError({
      openapi: openApi('#/x'),
      allowRemoteRefs: 'yes' as unknown as boolean,
      functions: { pets: handler },
    });
    expect(error).toEqual(new ConfigError('allowRemoteRefs: true or false'));
  });

  it('takes --allow-remote-refs on the command line', () => {
    expect(parseCommand(['routes', 'api.yaml', '--allow-remote-refs'])).toMatchObject({
      name: 'routes',
      file: 'api.yaml',
      allowRemoteRefs: true,
    });
    expect(parseCommand(['routes', 'api.yaml'])).not.toHaveProperty('allowRemoteRefs');
  });
});
