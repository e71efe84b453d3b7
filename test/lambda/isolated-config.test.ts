import { apiGateway, ConfigError } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const resources = { '/': { GET: { integration: { type: 'AWS_PROXY' as const, function: 'fn' } } } };
const inline = async () => ({ statusCode: 200, body: '' });

describe('isolation options', () => {
  test("an inline handler asking for isolation: 'process' is refused, naming the function", () => {
    expect(() =>
      apiGateway({
        functions: { fn: { handler: inline, isolation: 'process' } },
        resources,
        logger: silentLogger(),
      }),
    ).toThrow(
      new ConfigError(
        `functions["fn"].isolation: 'process' needs a Handler string ("file.export" under codeUri): an inline handler cannot leave this process`,
      ),
    );
  });

  test('an unknown isolation is refused, for the API and for a function', () => {
    expect(() =>
      apiGateway({
        isolation: 'thread' as never,
        functions: { fn: inline },
        resources,
        logger: silentLogger(),
      }),
    ).toThrow("isolation: \"thread\" ('process' or 'none')");
    expect(() =>
      apiGateway({
        functions: { fn: { handler: 'app.handler', isolation: 'worker' as never } },
        resources,
        logger: silentLogger(),
      }),
    ).toThrow(`functions["fn"].isolation: "worker" ('process' or 'none')`);
  });

  test('reservedConcurrency is a whole number, 0 or more', () => {
    for (const bad of [-1, 1.5, '2']) {
      expect(() =>
        apiGateway({
          functions: { fn: { handler: 'app.handler', reservedConcurrency: bad as never } },
          resources,
          logger: silentLogger(),
        }),
      ).toThrow(/functions\["fn"\]\.reservedConcurrency: a whole number of concurrent executions/);
    }
  });
});
