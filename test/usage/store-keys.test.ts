import express from 'express';
import request from 'supertest';
import { apiGateway, type UsageStore } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// The names a store sees are the README's Redis key formats, less the `apigw:bucket:` / `apigw:quota:` prefix.
describe('usage store keys', () => {
  it('names stage buckets, plan buckets and quota counts as documented', async () => {
    const buckets: string[] = [];
    const quotas: string[] = [];
    const store: UsageStore = {
      takeToken: async (key) => {
        buckets.push(key);
        return true;
      },
      useQuota: async (key) => {
        quotas.push(key);
        return { allowed: true, used: 1 };
      },
    };
    const app = express().use(
      apiGateway({
        logger: silentLogger(),
        store,
        functions: { pets: async () => ({ statusCode: 200, body: '[]' }) },
        apiKeys: [{ id: 'key-1', value: 'k1' }],
        usagePlans: [
          { name: 'other', apiKeys: [] },
          {
            name: 'basic',
            apiKeys: ['k1'],
            throttle: { rateLimit: 10, burstLimit: 20 },
            quota: { limit: 100, period: 'DAY' },
            methodThrottle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 } },
          },
        ],
        methodSettings: [
          { resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 5, throttlingBurstLimit: 5 },
        ],
        resources: {
          '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', function: 'pets' } } },
        },
      }),
    );
    const res = await request(app).get('/prod/pets').set('x-api-key', 'k1');
    expect(res.status).toBe(200);
    expect(buckets).toEqual(['stage:/pets/GET', 'plan:1:key-1', 'plan:1:key-1:/pets/GET']);
    expect(quotas).toEqual(['plan:1:key-1']);
  });
});
