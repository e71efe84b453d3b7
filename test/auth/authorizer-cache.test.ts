import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { authorizerCacheFor, DEFAULT_AUTHORIZER_CACHE_BYTES } from '../../src/auth/authorizer-cache.js';
import type { LambdaAuthorizer, ResolvedOptions } from '../../src/config/types.js';
import { apiGateway, ConfigError } from '../../src/index.js';
import { createTestUserPool } from '../../src/testing/index.js';
import { EXPRESS_VERSIONS, type ExpressFactory, silentLogger } from '../support/create-app.js';
import { echoEvent, proxy } from '../support/echo-function.js';

const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
const policy = (effect: 'Allow' | 'Deny') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: `${ARN_PREFIX}/*` }],
});

/** AWS's blueprint shape: a known token is allowed everywhere, any other token gets a Deny policy. */
function blueprintAuthorizer(calls: string[]) {
  return async (event: { authorizationToken: string }) => {
    calls.push(event.authorizationToken);
    const allowed = event.authorizationToken.startsWith('allow');
    return { principalId: 'user', policyDocument: policy(allowed ? 'Allow' : 'Deny') };
  };
}

function options(calls: string[], extra: Record<string, unknown> = {}) {
  const authorizer: LambdaAuthorizer = { type: 'TOKEN', function: 'auth' };
  return {
    restApiId: 'abc123',
    accountId: '123456789012',
    region: 'us-east-1',
    logger: silentLogger(),
    functions: { echo: echoEvent, auth: blueprintAuthorizer(calls) },
    authorizers: { auth: authorizer },
    resources: {
      '/{proxy+}': { GET: { ...proxy('echo'), authorizationType: 'CUSTOM', authorizer: 'auth' } },
    },
    ...extra,
  } as ResolvedOptions;
}

/** One listening server for many requests (supertest would start one per request). */
async function listen(opts: ResolvedOptions, factory: ExpressFactory = express): Promise<Server> {
  const app = factory();
  app.use(apiGateway(opts));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const cacheOf = (opts: ResolvedOptions) => {
  const cache = authorizerCacheFor(opts.authorizers?.auth as object);
  if (cache === undefined) throw new Error('no cache registered for the authorizer');
  return cache;
};

const randomToken = () => randomBytes(24).toString('base64url');
const longPath = () => `/prod/${randomBytes(600).toString('hex')}`; // a 1.2 kB methodArn

// 1,500 tokens fill a 256 kB budget several times over, on each Express.
describe.each(EXPRESS_VERSIONS)(
  'the authorizer cache is bounded in bytes (Express %s)',
  (version, factory) => {
    const tokens = 1_500;
    let server: Server;
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('holds thousands of random Deny tokens on made-up paths within the budget, and a busy Allow stays cached', async () => {
      const budget = 256 * 1024;
      const calls: string[] = [];
      const opts = options(calls, { authorizerCacheSizeInBytes: budget });
      server = await listen(opts, factory);
      const cache = cacheOf(opts);
      expect(cache.maxBytes).toBe(budget);

      expect((await request(server).get('/prod/pets').set('Authorization', 'allow')).status).toBe(200);
      expect(calls).toEqual(['allow']);
      let peak = 0;
      for (let i = 0; i < tokens; i++) {
        const res = await request(server).get(longPath()).set('Authorization', randomToken());
        expect(res.status).toBe(403);
        peak = Math.max(peak, cache.calculatedSize);
        if (i % 10 === 0) {
          // Used every 10 requests: recent enough never to be evicted, so never asked again.
          expect((await request(server).get('/prod/pets').set('Authorization', 'allow')).status).toBe(200);
        }
      }
      expect(calls.filter((t) => t === 'allow')).toHaveLength(1);
      expect(calls).toHaveLength(tokens + 1);
      expect(peak).toBeLessThanOrEqual(budget);
      expect(peak).toBeGreaterThan(budget * 0.9); // the budget is used, not left idle
      expect(cache.size).toBeLessThan(tokens / 10);
    }, 60_000);

    it('accounts the decisions memoised on a cached result, and calls the authorizer again once it is evicted', async () => {
      const budget = 64 * 1024;
      const calls: string[] = [];
      const opts = options(calls, { authorizerCacheSizeInBytes: budget });
      server = await listen(opts, factory);
      const cache = cacheOf(opts);

      expect((await request(server).get('/prod/a').set('Authorization', 'allow-1')).status).toBe(200);
      const one = cache.calculatedSize;
      // The same token on 20 new 1.2 kB methodArns: each decision it memoises is counted.
      for (let i = 0; i < 20; i++) {
        expect((await request(server).get(longPath()).set('Authorization', 'allow-1')).status).toBe(200);
      }
      expect(calls).toEqual(['allow-1']);
      expect(cache.calculatedSize).toBeGreaterThan(one + 20 * 2 * 1_200);
      expect(cache.calculatedSize).toBeLessThanOrEqual(budget);

      // Random tokens push it out: the next request with it asks the authorizer again.
      for (let i = 0; i < 200; i++) await request(server).get('/prod/a').set('Authorization', randomToken());
      expect(cache.calculatedSize).toBeLessThanOrEqual(budget);
      expect((await request(server).get('/prod/a').set('Authorization', 'allow-1')).status).toBe(200);
      expect(calls.filter((t) => t === 'allow-1')).toHaveLength(2);
    });
  },
);

describe('authorizerCacheSizeInBytes', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('defaults to 64 MiB for the whole API', async () => {
    const opts = options([]);
    server = await listen(opts);
    expect(cacheOf(opts).maxBytes).toBe(64 * 1024 * 1024);
    expect(DEFAULT_AUTHORIZER_CACHE_BYTES).toBe(64 * 1024 * 1024);
  });

  it('0 caches nothing: every request asks the authorizer', async () => {
    const calls: string[] = [];
    const opts = options(calls, { authorizerCacheSizeInBytes: 0 });
    server = await listen(opts);
    for (let i = 0; i < 3; i++) {
      expect((await request(server).get('/prod/a').set('Authorization', 'allow')).status).toBe(200);
    }
    expect(calls).toEqual(['allow', 'allow', 'allow']);
    expect(cacheOf(opts).calculatedSize).toBe(0);
  });

  it('keeps no result larger than the whole budget', async () => {
    const calls: string[] = [];
    const opts = options(calls, { authorizerCacheSizeInBytes: 600 });
    server = await listen(opts);
    for (let i = 0; i < 2; i++) {
      expect((await request(server).get('/prod/a').set('Authorization', 'allow')).status).toBe(200);
    }
    expect(calls).toEqual(['allow', 'allow']);
    expect(cacheOf(opts).calculatedSize).toBe(0);
  });

  it('is one budget shared by every authorizer of the API, Lambda and Cognito', async () => {
    const pool = createTestUserPool();
    const calls: string[] = [];
    const base = options(calls);
    const opts = {
      ...base,
      authorizerCacheSizeInBytes: 32 * 1024,
      userPools: pool.userPools,
      authorizers: {
        auth: base.authorizers?.auth,
        users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] },
      },
      resources: {
        ...base.resources,
        '/me': { GET: { ...proxy('echo'), authorizationType: 'COGNITO_USER_POOLS', authorizer: 'users' } },
      },
    } as ResolvedOptions;
    server = await listen(opts);
    const cache = cacheOf(opts);
    expect(authorizerCacheFor(opts.authorizers?.users as object)).toBe(cache);
    for (let i = 0; i < 100; i++) {
      const token = pool.idToken({ 'custom:n': randomBytes(100).toString('hex') });
      expect((await request(server).get('/prod/me').set('Authorization', token)).status).toBe(200);
      await request(server).get('/prod/a').set('Authorization', randomToken());
      expect(cache.calculatedSize).toBeLessThanOrEqual(32 * 1024);
    }
  });
});

describe('authorizerCacheSizeInBytes at startup', () => {
  it.each([[-1], [1.5], ['64MB'], [Number.POSITIVE_INFINITY], [null]])('refuses %p at startup', (value) => {
    expect(() => apiGateway(options([], { authorizerCacheSizeInBytes: value }))).toThrow(ConfigError);
    expect(() => apiGateway(options([], { authorizerCacheSizeInBytes: value }))).toThrow(
      /^authorizerCacheSizeInBytes: a whole number of bytes, 0 or more/,
    );
  });
});
