import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import request from 'supertest';
import type { ApiGatewayOptions } from '../../src/index.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

/** A reader the test collects from on demand. */
class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

interface Point {
  attributes: Record<string, unknown>;
  value: number | { count: number; sum?: number };
}

/** metric name → its data points, as the SDK aggregated them. */
async function collect(reader: TestReader): Promise<Record<string, Point[]>> {
  const { resourceMetrics } = await reader.collect();
  const out: Record<string, Point[]> = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      out[metric.descriptor.name] = metric.dataPoints.map((p) => ({
        attributes: p.attributes,
        value: typeof p.value === 'number' ? p.value : { count: p.value.count, sum: p.value.sum },
      })) as Point[];
    }
  }
  return out;
}

function stage(extra: Partial<ApiGatewayOptions> = {}) {
  const reader = new TestReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('apigw-express-test');
  let now = Date.UTC(2026, 11, 7);
  const options: ApiGatewayOptions = {
    restApiId: 'abc123',
    clock: () => now,
    metrics: { meter, apiName: 'pets-api' },
    functions: {
      pets: async (event: { path: string }) => {
        now += 40;
        if (event.path === '/pets/boom') throw new Error('kaboom');
        return { statusCode: 200, body: '{}' };
      },
      auth: async () => {
        now += 5;
        return {
          principalId: 'u',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
          },
        };
      },
    },
    authorizers: { token: { type: 'TOKEN', function: 'auth' } },
    resources: {
      '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', function: 'pets' } } },
      '/private': {
        GET: {
          authorizationType: 'CUSTOM',
          authorizer: 'token',
          integration: { type: 'AWS_PROXY', function: 'pets' },
        },
      },
    },
    ...extra,
  };
  return { options, reader };
}

const STAGE = { ApiName: 'pets-api', Stage: 'prod' };

describe.each(EXPRESS_VERSIONS)('stage metrics on Express %s', (_version, express) => {
  it("records CloudWatch's Count, 4XXError, 5XXError, Latency and IntegrationLatency with ApiName and Stage", async () => {
    const { options, reader } = stage();
    const app = createApp(options, express);
    expect((await request(app).get('/prod/pets/1')).status).toBe(200);
    expect((await request(app).get('/prod/pets/boom')).status).toBe(502);
    expect((await request(app).get('/prod/nowhere')).status).toBe(403);
    const metrics = await collect(reader);
    expect(metrics.Count).toEqual([{ attributes: STAGE, value: 3 }]);
    expect(metrics['4XXError']).toEqual([{ attributes: STAGE, value: 1 }]);
    expect(metrics['5XXError']).toEqual([{ attributes: STAGE, value: 1 }]);
    expect(metrics.Latency).toEqual([{ attributes: STAGE, value: { count: 3, sum: 80 } }]);
    expect(metrics.IntegrationLatency).toEqual([{ attributes: STAGE, value: { count: 2, sum: 80 } }]);
    expect(metrics.CacheHitCount).toBeUndefined();
  });

  it('counts authorizer cache hits and misses', async () => {
    const { options, reader } = stage();
    const app = createApp(options, express);
    for (let i = 0; i < 3; i++) {
      expect((await request(app).get('/prod/private').set('Authorization', 'same')).status).toBe(200);
    }
    const metrics = await collect(reader);
    expect(metrics.CacheMissCount).toEqual([{ attributes: STAGE, value: 1 }]);
    expect(metrics.CacheHitCount).toEqual([{ attributes: STAGE, value: 2 }]);
  });

  it('adds Method and Resource where a methodSetting turns on metricsEnabled (detailed metrics)', async () => {
    const { options, reader } = stage({
      methodSettings: [
        { resourcePath: '/*', httpMethod: '*', metricsEnabled: true },
        { resourcePath: '/private', httpMethod: 'GET', metricsEnabled: false },
      ],
    });
    const app = createApp(options, express);
    await request(app).get('/prod/pets/1');
    await request(app).get('/prod/private').set('Authorization', 'x');
    const metrics = await collect(reader);
    expect(metrics.Count).toEqual(
      expect.arrayContaining([
        { attributes: { ...STAGE, Method: 'GET', Resource: '/pets/{id}' }, value: 1 },
        { attributes: STAGE, value: 1 },
      ]),
    );
    expect(metrics.Count).toHaveLength(2);
  });

  it('uses the restApiId as ApiName unless told', async () => {
    const { options, reader } = stage();
    options.metrics = { meter: (options.metrics as { meter: never }).meter };
    await request(createApp(options, express)).get('/prod/pets/1');
    expect((await collect(reader)).Count).toEqual([
      { attributes: { ApiName: 'abc123', Stage: 'prod' }, value: 1 },
    ]);
  });
});

describe('metrics at startup', () => {
  it('refuses a meter that is not one', () => {
    const { options } = stage();
    expect(() => apiGateway({ ...options, metrics: { meter: {} as never } })).toThrow(
      new ConfigError('metrics.meter: an OpenTelemetry Meter (metrics.getMeter(…) from @opentelemetry/api)'),
    );
  });

  it('refuses a metricsEnabled that is not a boolean', () => {
    const { options } = stage({
      methodSettings: [{ resourcePath: '/*', httpMethod: '*', metricsEnabled: 'yes' as never }],
    });
    expect(() => apiGateway(options)).toThrow('methodSettings[0].metricsEnabled: true or false (got "yes")');
  });
});
