import { ConfigError, configErrors } from '../../src/config/config-error.js';
import { definitionSources, placeProblems } from '../../src/http-api/definitions/place-problems.js';

const SOURCES = {
  'routes["GET /a"]': 'Resources.A.Properties',
  'routes["GET /a"].integration': 'Resources.IntegA.Properties',
  'routes["GET /a/{b}"]': 'Resources.B.Properties',
  cors: 'Resources.Api.Properties.CorsConfiguration',
};

describe('placeProblems', () => {
  it('moves each problem to where the definition declares its option, the most precise place first', () => {
    const error = configErrors([
      'routes["GET /a/{b}"]: unknown option "x"',
      'routes["GET /a"].integration.timeoutInMillis: an integer from 50 to 30000 (got 0)',
      'cors.allowCredentials: not with allowOrigins "*"',
      'clock: a function returning epoch milliseconds',
    ]);
    expect((placeProblems(error, SOURCES) as ConfigError).problems).toEqual([
      'Resources.B.Properties: routes["GET /a/{b}"]: unknown option "x"',
      'Resources.IntegA.Properties: routes["GET /a"].integration.timeoutInMillis: an integer from 50 to 30000 (got 0)',
      'Resources.Api.Properties.CorsConfiguration: cors.allowCredentials: not with allowOrigins "*"',
      'clock: a function returning epoch milliseconds',
    ]);
  });

  it('leaves other errors and unplaced problems as they are', () => {
    const plain = new Error('boom');
    expect(placeProblems(plain, SOURCES)).toBe(plain);
    const unplaced = new ConfigError('routes["GET /ab"]: x');
    expect(placeProblems(unplaced, SOURCES)).toBe(unplaced);
  });

  it('drops the sources of options given beside the definition', () => {
    expect(
      definitionSources(
        {
          'authorizers["users"]': 'provider.httpApi.authorizers.users',
          'authorizers["x"]': 'p.x',
          cors: 'c',
        },
        { authorizers: { users: {} }, cors: { allowOrigins: ['*'] } },
      ),
    ).toEqual({ 'authorizers["x"]': 'p.x' });
  });
});
