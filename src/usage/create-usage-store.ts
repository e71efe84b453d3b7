import { ConfigError } from '../config/config-error.js';
import { MemoryUsageStore } from './memory-store.js';
import { RedisUsageStore } from './redis-store.js';
import type { Clock, UsageStore, UsageStoreOption } from './usage-store.js';

const DEFAULT_KEY_PREFIX = 'apigw:';
const OPTION_KEYS = new Set(['redis', 'keyPrefix']);

/**
 * The gateway's `store` option → a UsageStore: in memory by default, in Redis with `redis`
 * (ioredis is loaded only then), or the object itself when it already is a store.
 * Throws ConfigError for an unknown key, a malformed value, `redis` given but undefined or empty,
 * or `redis` without ioredis installed.
 * @example
 * const store = createUsageStore({ redis: 'redis://127.0.0.1:6379', keyPrefix: 'apigw:' }, Date.now);
 */
export function createUsageStore(option: UsageStoreOption | undefined, now: Clock): UsageStore {
  if (option === undefined) return new MemoryUsageStore(now);
  if (isUsageStore(option)) return option;
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError('store: expected { redis?, keyPrefix? } or an object with takeToken and useQuota');
  }
  for (const key of Object.keys(option)) {
    if (!OPTION_KEYS.has(key)) {
      throw new ConfigError(`store.${key}: unknown option (expected redis, keyPrefix)`);
    }
  }
  const { redis, keyPrefix = DEFAULT_KEY_PREFIX } = option;
  if (typeof keyPrefix !== 'string') throw new ConfigError('store.keyPrefix: expected a string');
  // `{ redis: process.env.REDIS_URL }` with the variable unset must not quietly count per process.
  if (Object.hasOwn(option, 'redis') && (redis === undefined || redis === '')) {
    throw new ConfigError(
      `store.redis: ${redis === '' ? 'an empty string' : 'undefined'} (is the environment variable that should hold the URL set?); leave out store.redis to count usage in memory`,
    );
  }
  if (redis === undefined) return new MemoryUsageStore(now);
  const url = typeof redis === 'string';
  if (url ? !/^rediss?:\/\//.test(redis) : typeof redis !== 'object' || redis === null) {
    throw new ConfigError('store.redis: expected a redis:// or rediss:// URL or ioredis options');
  }
  return new RedisUsageStore(redis, keyPrefix, now);
}

function isUsageStore(option: unknown): option is UsageStore {
  const store = option as Partial<UsageStore> | null;
  return typeof store?.takeToken === 'function' && typeof store.useQuota === 'function';
}
