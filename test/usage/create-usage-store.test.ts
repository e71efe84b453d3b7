import { ConfigError } from '../../src/config/config-error.js';
import { createUsageStore } from '../../src/usage/create-usage-store.js';
import { MemoryUsageStore } from '../../src/usage/memory-store.js';
import { loadIoredis } from '../../src/usage/redis-store.js';
import type { UsageStore } from '../../src/usage/usage-store.js';

describe('createUsageStore: the store option', () => {
  it('counts in memory by default, and with only a keyPrefix', () => {
    expect(createUsageStore(undefined, Date.now)).toBeInstanceOf(MemoryUsageStore);
    expect(createUsageStore({}, Date.now)).toBeInstanceOf(MemoryUsageStore);
    expect(createUsageStore({ keyPrefix: 'x:' }, Date.now)).toBeInstanceOf(MemoryUsageStore);
  });

  it('uses an object with takeToken and useQuota as the store itself', () => {
    const own: UsageStore = {
      takeToken: async () => true,
      useQuota: async () => ({ allowed: true, used: 1 }),
    };
    expect(createUsageStore(own, Date.now)).toBe(own);
  });

  it('refuses unknown keys and malformed values at startup, naming the field', () => {
    const create = (option: unknown) => () => createUsageStore(option as never, Date.now);
    expect(create({ redis: 'redis://x', prefix: 'a:' })).toThrow(
      new ConfigError('store.prefix: unknown option (expected redis, keyPrefix)'),
    );
    expect(create({ redis: 'localhost:6379' })).toThrow(
      new ConfigError('store.redis: expected a redis:// or rediss:// URL or ioredis options'),
    );
    expect(create({ redis: 6379 })).toThrow(ConfigError);
    // `{ redis: process.env.REDIS_URL }` with the variable unset or empty: not a per-process memory store.
    expect(create({ redis: undefined })).toThrow(
      new ConfigError(
        'store.redis: undefined (is the environment variable that should hold the URL set?); leave out store.redis to count usage in memory',
      ),
    );
    expect(create({ redis: '', keyPrefix: 'a:' })).toThrow(
      new ConfigError(
        'store.redis: an empty string (is the environment variable that should hold the URL set?); leave out store.redis to count usage in memory',
      ),
    );
    expect(create({ keyPrefix: 1 })).toThrow(new ConfigError('store.keyPrefix: expected a string'));
    expect(create('redis://x')).toThrow(
      new ConfigError('store: expected { redis?, keyPrefix? } or an object with takeToken and useQuota'),
    );
  });

  it('loads ioredis only when a Redis store is configured', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('ioredis', () => {
        loads++;
        return jest.requireActual('ioredis');
      });
      const isolated =
        require('../../src/usage/create-usage-store.js') as typeof import('../../src/usage/create-usage-store.js');
      isolated.createUsageStore(undefined, Date.now);
      isolated.createUsageStore({ keyPrefix: 'a:' }, Date.now);
      expect(loads).toBe(0);
      const store = isolated.createUsageStore({ redis: { lazyConnect: true } }, Date.now);
      expect(loads).toBe(1);
      return store.close?.();
    });
  });

  it('says how to install ioredis when Redis is configured without it', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'ioredis'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadIoredis(missing)).toThrow(
      new ConfigError(
        "store.redis: the 'ioredis' package is not installed; run `npm install ioredis` or leave out store.redis to count usage in memory",
      ),
    );
  });

  it('passes on any other failure to load ioredis', () => {
    const broken = () => {
      throw new Error('boom');
    };
    expect(() => loadIoredis(broken)).toThrow('boom');
  });
});
