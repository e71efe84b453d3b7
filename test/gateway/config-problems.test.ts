import { OPTION_KEYS } from '../../src/config/validate.js';
import { type ApiGatewayOptions, apiGateway, ConfigError } from '../../src/index.js';
import { runCli, scratchFolder } from '../support/cli-process.js';
import { silentLogger } from '../support/create-app.js';

// Compile-time: every key of ApiGatewayOptions is in OPTION_KEYS and nothing else is (tsc and
// ts-jest refuse this file otherwise), so the unknown-key error's list cannot drift from the type.
type Listed = (typeof OPTION_KEYS)[number];
const everyKeyListed: [Exclude<keyof ApiGatewayOptions, Listed>] extends [never] ? true : false = true;
const nothingElseListed: [Exclude<Listed, keyof ApiGatewayOptions>] extends [never] ? true : false = true;

function configError(options: unknown): ConfigError {
  try {
    apiGateway(options as ApiGatewayOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('apiGateway() accepted the config');
}

const ok = { type: 'AWS_PROXY', function: 'f' };

describe('config errors list every problem, with the bad value', () => {
  it('the unknown-option error lists every option apiGateway() takes', () => {
    expect(everyKeyListed && nothingElseListed).toBe(true);
    const error = configError({ logger: silentLogger(), resources: {}, stagename: 'prod' });
    const allowed = /\(allowed: (.*)\)$/.exec(error.message)?.[1].split(', ');
    expect(allowed).toEqual(OPTION_KEYS);
    // What the old hand-kept list left out.
    for (const key of [
      'openapi',
      'template',
      'serverless',
      'stackName',
      'parameterOverrides',
      'importValues',
    ]) {
      expect(allowed).toContain(key);
    }
  });

  it('a definition-only option given with resources says so', () => {
    expect(configError({ logger: silentLogger(), resources: {}, stackName: 'x' }).message).toBe(
      'stackName: only with a definition (openapi, template or serverless), not with resources',
    );
  });

  it('collects all problems into one ConfigError, one line each', () => {
    const error = configError({
      logger: silentLogger(),
      stageName: 'my stage',
      basePath: 'v1/',
      unknownOption: 1,
      functions: { f: { handler: 'a.b', timeout: 0, memorySize: 64 } },
      resources: {
        '/a': { GET: { integration: { type: 'AWS_PROXY', function: 'nope' } } },
        '/b': { FETCH: { integration: ok }, POST: { integration: { ...ok, timeoutInMillis: 10 } } },
        '/c': { GET: { integration: ok, apiKeyRequired: 'yes' } },
      },
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^apiGateway options: unknown field "unknownOption" \(allowed: /),
      'stageName: "my stage" (stage names use letters, digits, - and _, at most 128)',
      `basePath: must be '' or a path such as '/prod' without a trailing slash (got "v1/")`,
      'functions["f"].timeout: seconds, more than 0 and at most 900 (got 0)',
      'functions["f"].memorySize: an integer number of MB, at least 128 (got 64)',
      'GET /a: integration.function: unknown function "nope" (known: f)',
      'FETCH /b: unknown HTTP method (use GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY)',
      'POST /b: integration.timeoutInMillis: an integer of at least 50 (default 29000) (got 10)',
      'GET /c: apiKeyRequired: must be a boolean (got "yes")',
    ]);
    expect(error.message.split('\n')).toEqual(['9 problems:', ...error.problems.map((p) => `  ${p}`)]);
  });

  it('one problem keeps its message as it was', () => {
    const error = configError({
      logger: silentLogger(),
      resources: { '/a': { GET: { integration: { type: 'AWS_PROXY', function: 'x' } } } },
    });
    expect(error.message).toBe('GET /a: integration.function: unknown function "x" (known: none)');
    expect(error.problems).toEqual([error.message]);
  });

  it('the CLI prints each problem on its own line', async () => {
    const scratch = scratchFolder({
      'api.js': `module.exports = { stageName: 'a b', functions: { f: { handler: 'a.b', memorySize: 1 } }, resources: {} };`,
    });
    try {
      const { code, stderr } = await runCli(['routes', 'api.js'], scratch.dir);
      expect(code).toBe(1);
      expect(stderr).toBe(
        'apigw-express: api.js: 2 problems:\n  stageName: "a b" (stage names use letters, digits, - and _, at most 128)\n  functions["f"].memorySize: an integer number of MB, at least 128 (got 1)\n',
      );
    } finally {
      scratch.remove();
    }
  }, 60_000);
});
