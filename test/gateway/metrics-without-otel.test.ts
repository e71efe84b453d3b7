import request from 'supertest';
import { createApp } from '../support/create-app.js';

// Loading the package at all fails this file: the gateway must never require it.
jest.mock('@opentelemetry/api', () => {
  throw new Error('@opentelemetry/api was loaded');
});

describe('metrics without @opentelemetry/api', () => {
  it("records on any meter of the API's shape, loading no OpenTelemetry package itself", async () => {
    const recorded: [string, number, Record<string, string> | undefined][] = [];
    const instrument = (name: string) => ({
      add: (value: number, attributes?: Record<string, string>) => recorded.push([name, value, attributes]),
      record: (value: number, attributes?: Record<string, string>) =>
        recorded.push([name, value, attributes]),
    });
    const meter = { createCounter: instrument, createHistogram: instrument };
    const app = createApp({
      clock: () => 0,
      metrics: { meter, apiName: 'api' },
      functions: { hi: async () => ({ statusCode: 200, body: '{}' }) },
      resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'hi' } } } },
    });
    expect((await request(app).get('/prod/')).status).toBe(200);
    const stage = { ApiName: 'api', Stage: 'prod' };
    expect(recorded).toEqual([
      ['Count', 1, stage],
      ['Latency', 0, stage],
      ['IntegrationLatency', 0, stage],
    ]);
  });
});
