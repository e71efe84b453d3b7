import path from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadDefinition } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/definitions');
const OPENAPI = path.join(FIXTURES, 'openapi/pets-oas3.yaml');
const SAM = path.join(FIXTURES, 'sam/app/template.yaml');
const SERVERLESS = path.join(FIXTURES, 'serverless/serverless.yml');
const handler = async () => ({ statusCode: 200, body: '' });

const warnings = (logger: ReturnType<typeof silentLogger>) =>
  logger.calls.filter((call) => call.level === 'warn').map((call) => call.args.join(' '));

describe('function overrides given with a definition', () => {
  it.each([
    ['template', SAM, 'ItemFunction', 'AuthFunction, ItemsFunction'],
    ['serverless', SERVERLESS, 'listItem', null],
    ['openapi', OPENAPI, 'pets_api', 'create-pet, pets-api, token-authorizer'],
  ])(
    '%s: an override that matches no function is named in a warning, with the names that match',
    async (key, file, typo, known) => {
      const logger = silentLogger();
      await loadDefinition({ [key]: file, functions: { [typo]: handler } }, logger);
      const [warning] = warnings(logger).filter((line) => line.includes('functions:'));
      expect(warning).toMatch(
        new RegExp(
          `^apigw-express: functions: "${typo}" matches no function of the ${key}, so it is not used \\(its functions: `,
        ),
      );
      if (known !== null) expect(warning).toContain(`(its functions: ${known})`);
    },
  );

  it('is quiet for overrides of functions the definition declares or its integrations and authorizers call', async () => {
    const logger = silentLogger();
    await loadDefinition(
      {
        openapi: OPENAPI,
        functions: { 'pets-api': handler, 'create-pet': handler, 'token-authorizer': handler },
      },
      logger,
    );
    await loadDefinition(
      { template: SAM, functions: { ItemsFunction: handler, AuthFunction: handler } },
      logger,
    );
    expect(warnings(logger).filter((line) => line.includes('functions:'))).toEqual([]);
  });

  it('names every unmatched override in one warning', async () => {
    const logger = silentLogger();
    await loadDefinition(
      { template: SAM, functions: { A: handler, ItemsFunction: handler, B: handler } },
      logger,
    );
    expect(warnings(logger).filter((line) => line.includes('functions:'))).toEqual([
      'apigw-express: functions: "A", "B" match no function of the template, so they are not used (its functions: AuthFunction, ItemsFunction)',
    ]);
  });
});

describe('parameterOverrides given with a definition', () => {
  it.each([
    ['openapi', OPENAPI],
    ['serverless', SERVERLESS],
  ])('are refused for %s, which has no Parameters', async (key, file) => {
    await expect(
      loadDefinition({ [key]: file, parameterOverrides: { Env: 'prod' } }, silentLogger()),
    ).rejects.toThrow(new ConfigError(`parameterOverrides: only a template has Parameters, not ${key}`));
  });
});
