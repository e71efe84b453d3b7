import path from 'node:path';
import { ApiFileError, loadApi } from '../../src/cli/load-api.js';
import { UsageError } from '../../src/cli/usage-error.js';
import type { ImportContext } from '../../src/definitions/load-definition.js';
import { importOpenApi } from '../../src/definitions/openapi-import.js';
import { importSam } from '../../src/definitions/sam-import.js';
import { importServerless } from '../../src/definitions/serverless-import.js';
import { scratchFolder } from '../support/cli-process.js';
import { silentLogger } from '../support/create-app.js';

jest.mock('../../src/definitions/openapi-import.js');
jest.mock('../../src/definitions/sam-import.js');
jest.mock('../../src/definitions/serverless-import.js');

const imported = {
  options: { resources: { '/': { GET: { integration: { type: 'MOCK' as const } } } } },
  unsupported: [],
  unenforcedGuards: [],
};
for (const importer of [importOpenApi, importSam, importServerless]) {
  jest.mocked(importer).mockResolvedValue(imported);
}

const scratch = scratchFolder({
  'template.yaml':
    'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: !Ref Code\n',
  'cfn.json': '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {} }',
  'bare.yml': 'Resources: {}\n',
  'api.yaml': 'openapi: 3.0.1\npaths: {}\n',
  'swagger.json': '{ "swagger": "2.0", "paths": {} }',
  'serverless.yml': 'service: pets\n',
  'other.yaml': 'name: pets\n',
  'broken.yaml': 'openapi: [3\n',
  'options.js': 'module.exports = { stageName: "dev", resources: {} };',
  'definition-options.cjs': 'module.exports = { template: { Resources: {} }, stageName: "Prod" };',
  'not-options.js': 'module.exports = 42;',
  'throws.js': 'throw new TypeError("boom");',
});
afterAll(() => scratch.remove());
beforeEach(() => jest.clearAllMocks());

const file = (name: string) => path.join(scratch.dir, name);
const load = (name: string, extra = {}) =>
  loadApi({ file: file(name), envFiles: [], ...extra }, silentLogger());

describe('reading the API file', () => {
  it.each([
    ['template.yaml', importSam, 'template'],
    ['cfn.json', importSam, 'template'],
    ['bare.yml', importSam, 'template'],
    ['api.yaml', importOpenApi, 'openapi'],
    ['swagger.json', importOpenApi, 'openapi'],
    ['serverless.yml', importServerless, 'serverless'],
  ])('reads %s as a %p definition, given by its path', async (name, importer, kind) => {
    const loaded = await load(name);
    expect(loaded.kind).toBe(kind);
    expect(loaded.options.resources).toEqual(imported.options.resources);
    expect(jest.mocked(importer)).toHaveBeenCalledTimes(1);
    const [source, ctx] = jest.mocked(importer).mock.calls[0] as [string, ImportContext];
    expect(source).toBe(file(name));
    expect(ctx.baseDir).toBe(scratch.dir);
  });

  it('passes --stage and --parameter-overrides to the importer, and the stage wins over the definition', async () => {
    const loaded = await load('template.yaml', { stageName: 'Dev', parameterOverrides: { Code: 'src' } });
    const ctx = jest.mocked(importSam).mock.calls[0][1];
    expect(ctx.stageName).toBe('Dev');
    expect(ctx.parameterOverrides).toEqual({ Code: 'src' });
    expect(loaded.options.stageName).toBe('Dev');
    expect(loaded.options).not.toHaveProperty('parameterOverrides');
  });

  it('passes --serve-unenforced-guards-open to the definition, and leaves it out of the options', async () => {
    const logger = silentLogger();
    jest.mocked(importServerless).mockResolvedValueOnce({
      ...imported,
      unenforcedGuards: [
        { route: 'GET /', guard: 'functions.f.events[0].http.authorizer.authorizerId: "a1"' },
      ],
    });
    const loaded = await loadApi(
      { file: file('serverless.yml'), envFiles: [], serveUnenforcedGuardsOpen: true },
      logger,
    );
    expect(loaded.options).not.toHaveProperty('serveUnenforcedGuardsOpen');
    expect(logger.calls).toEqual([
      {
        level: 'warn',
        args: [
          'apigw-express: serverless: GET / served open (serveUnenforcedGuardsOpen): functions.f.events[0].http.authorizer.authorizerId: "a1"',
        ],
      },
    ]);
    jest.mocked(importServerless).mockResolvedValueOnce({
      ...imported,
      unenforcedGuards: [
        { route: 'GET /', guard: 'functions.f.events[0].http.authorizer.authorizerId: "a1"' },
      ],
    });
    await expect(load('serverless.yml')).rejects.toThrow(
      'serverless: GET /: functions.f.events[0].http.authorizer.authorizerId: "a1": cannot be enforced here',
    );
  });

  // An .mjs module is read by the spawned CLI (test/cli/cli.test.ts): Jest on Node 20 cannot require ESM.
  it('uses a module’s options as they are, --stage over its stageName', async () => {
    expect((await load('options.js')).options).toMatchObject({ stageName: 'dev', resources: {} });
    expect((await load('options.js', { stageName: 'v2' })).options.stageName).toBe('v2');
  });

  it('imports the definition a module names, with the module’s options and the overrides', async () => {
    const loaded = await load('definition-options.cjs', { parameterOverrides: { A: '1' } });
    expect(loaded.kind).toBe('module');
    expect(jest.mocked(importSam).mock.calls[0][0]).toEqual({ Resources: {} });
    expect(jest.mocked(importSam).mock.calls[0][1]).toMatchObject({
      stageName: 'Prod',
      parameterOverrides: { A: '1' },
    });
  });

  it.each([
    ['missing.yaml', 'no such file'],
    ['missing.js', 'no such file'],
    ['serverless.yaml', 'no such file'],
    [
      'other.yaml',
      'not a definition apigw-express knows: no AWSTemplateFormatVersion, Transform or Resources (a template), no openapi or swagger (an OpenAPI document), and not named serverless.yml',
    ],
    ['broken.yaml', expect.stringMatching(/^not YAML or JSON: /)],
    [
      'not-options.js',
      'must export the apiGateway() options (module.exports = { functions, resources, … }, or export default)',
    ],
    ['throws.js', 'TypeError: boom'],
  ])('refuses %s: %s', async (name, message) => {
    expect.assertions(3);
    try {
      await load(name);
    } catch (error) {
      expect(error).toBeInstanceOf(ApiFileError);
      expect((error as ApiFileError).file).toBe(file(name));
      expect((error as Error).message).toEqual(message);
    }
  });

  it('names the file and the field of a definition error', async () => {
    jest.mocked(importOpenApi).mockRejectedValueOnce(
      Object.assign(new Error('paths./pets.get: x-amazon-apigateway-integration: missing'), {
        name: 'ConfigError',
      }),
    );
    await expect(load('api.yaml')).rejects.toMatchObject({
      file: file('api.yaml'),
      message: 'paths./pets.get: x-amazon-apigateway-integration: missing',
    });
  });

  it('refuses --parameter-overrides for a module that gives resources (a usage error)', async () => {
    await expect(load('options.js', { parameterOverrides: { A: '1' } })).rejects.toThrow(
      new UsageError(
        `--parameter-overrides: ${file('options.js')} gives resources, not a template to apply them to`,
      ),
    );
  });
});
