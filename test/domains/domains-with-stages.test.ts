import type { APIGatewayProxyEvent } from 'aws-lambda';
import request from 'supertest';
import { apiGateway, ConfigError, customDomains } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

/** One gateway serving two stages, mapped by a custom domain. */
function mapped() {
  const gateway = apiGateway({
    restApiId: 'pets123456',
    logger: silentLogger(),
    functions: { echo: echoEvent },
    stages: { beta: { variables: { tier: 'b' } }, prod: { variables: { tier: 'p' } } },
    resources: { '/pets/{id}': { GET: proxy('echo') } },
  });
  const handler = customDomains({
    'api.example.com': {
      mappings: {
        v1: { restApi: gateway, stage: 'beta' },
        v2: { restApi: gateway, stage: 'prod' },
        // No stage: the caller names it after the base path, as on AWS.
        any: { restApi: gateway },
      },
    },
  });
  return { gateway, handler };
}

const eventOf = (res: request.Response) => JSON.parse(res.text) as APIGatewayProxyEvent;

describe('custom domains on a gateway with stages', () => {
  const { gateway, handler } = mapped();
  afterAll(() => gateway.close());

  it.each([
    ['/v1/pets/7', 'beta', 'b'],
    ['/v2/pets/7', 'prod', 'p'],
    ['/any/beta/pets/7', 'beta', 'b'],
    ['/any/prod/pets/7', 'prod', 'p'],
  ])('%s runs in stage %s, with its variables', async (url, stage, tier) => {
    const res = await request(handler).get(url).set('Host', 'api.example.com');
    expect(res.status).toBe(200);
    const event = eventOf(res);
    expect(event.requestContext.stage).toBe(stage);
    expect(event.stageVariables).toEqual({ tier });
    expect(event.path).toBe(url);
    expect(event.resource).toBe('/pets/{id}');
  });

  it('a stage the API lacks, named after a stage-less base path, is refused', async () => {
    const res = await request(handler).get('/any/gamma/pets/7').set('Host', 'api.example.com');
    expect(res.status).toBe(403);
  });

  it('a mapping to a stage the gateway does not serve refuses to start', async () => {
    const other = customDomains({
      'api.example.com': { mappings: { v3: { restApi: gateway, stage: 'gamma' } } },
    });
    await expect(other.ready).rejects.toThrow(ConfigError);
    await expect(other.ready).rejects.toThrow(
      "'gamma' is not a stage of this API (it serves 'beta', 'prod')",
    );
  });
});
