import fc from 'fast-check';
import request from 'supertest';
import type { HttpApiOptions, UsageStore } from '../../src/index.js';
import { closeApis, HOSTS } from './hosts.js';

afterAll(closeApis);

const [, host] = HOSTS[HOSTS.length - 1];
let calls = 0;
const ok = async () => {
  calls++;
  return { statusCode: 200, body: '"ok"' };
};

const api = (takeToken: UsageStore['takeToken']): HttpApiOptions => ({
  functions: { fn: { handler: ok as never } },
  throttle: { rateLimit: 5, burstLimit: 5 },
  store: { takeToken, useQuota: async () => ({ allowed: true, used: 0 }) },
  routes: { 'GET /a': { integration: { function: 'fn' } } },
});

describe('a usage store that breaks refuses the request (500), never serves it', () => {
  test.each([
    [
      'throws synchronously',
      (() => {
        throw new Error('down');
      }) as unknown as UsageStore['takeToken'],
    ],
    ['rejects with a non-Error', () => Promise.reject('down')],
  ])('a store that %s', async (_case, takeToken) => {
    calls = 0;
    const res = await request(host(api(takeToken))).get('/a');
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message":"Internal Server Error"}');
    expect(calls).toBe(0);
  });

  test('a store without takeToken is refused at startup', () => {
    expect(() => host(api(undefined as unknown as UsageStore['takeToken']))).toThrow(/store\.takeToken/);
  });

  test('any answer but true or false refuses; false is 429; only true reaches the function (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (answer) => {
        calls = 0;
        const res = await request(host(api(async () => answer as boolean))).get('/a');
        const expected = answer === true ? 200 : answer === false ? 429 : 500;
        expect(res.status).toBe(expected);
        expect(calls).toBe(answer === true ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });
});
