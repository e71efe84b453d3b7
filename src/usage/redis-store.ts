import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Redis, RedisOptions } from 'ioredis';
import { ConfigError } from '../config/config-error.js';
import { StoreUnavailableError } from './store-unavailable-error.js';
import type { Clock, QuotaUse, QuotaWindow, RedisConnectionOptions, UsageStore } from './usage-store.js';

// One key per bucket, a hash {tokens, at}; refilled from the caller's clock (ARGV[1]) so that
// every instance and every test agrees on time. Dropped once it would be full again anyway.
const TAKE_TOKEN = `
local now, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = burst, now
if saved[1] then
  at = math.max(tonumber(saved[2]), now)
  tokens = math.min(burst, tonumber(saved[1]) + (at - tonumber(saved[2])) * rate / 1000)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) * 1000 / rate)) + at - now)
return allowed
`;

// One counter per quota period; a refused use leaves it untouched. It expires a minute after
// the period ends (ARGV[2] ms from now), the minute covering instances whose clocks lag.
const USE_QUOTA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return {0, used} end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, used}
`;

const PERIOD_GRACE_MS = 60_000;

interface UsageCommands {
  apigwTakeToken(key: string, now: number, rate: number, burst: number): Promise<number>;
  apigwUseQuota(key: string, limit: number, ttl: number): Promise<[number, number]>;
}

// Fail rather than wait: no offline queue, no retry of a command cut off by a disconnect, and a
// bound on a command Redis never answers. ioredis keeps reconnecting in the background.
const DEFAULTS: RedisOptions = { commandTimeout: 1000, connectTimeout: 2000, retryStrategy: retryEvery };
const FORCED: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 0 };

function retryEvery(attempt: number): number {
  return Math.min(attempt * 50, 1000);
}

type RedisConstructor = new (...args: unknown[]) => Redis;

// ESM output has no `require`: resolve ioredis from the app's directory instead.
const requireFromApp =
  typeof require === 'function' ? require : createRequire(join(process.cwd(), 'index.js'));

/**
 * Loads ioredis only now that a Redis store is configured, so apps without it never load it.
 * Throws ConfigError when it is not installed.
 */
export function loadIoredis(load: (id: string) => unknown = requireFromApp): RedisConstructor {
  let loaded: { default?: unknown; Redis?: unknown };
  try {
    loaded = load('ioredis') as typeof loaded;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') {
      throw new ConfigError(
        "store.redis: the 'ioredis' package is not installed; run `npm install ioredis` or leave out store.redis to count usage in memory",
      );
    }
    throw error;
  }
  return (loaded.Redis ?? loaded.default ?? loaded) as RedisConstructor;
}

/**
 * Buckets and quota counters in Redis, shared by every instance on the same server. Each use is
 * one Lua script (EVALSHA), so concurrent instances never read-then-write over each other.
 * Rejects with StoreUnavailableError while Redis cannot be reached, and recovers with it.
 */
export class RedisUsageStore implements UsageStore {
  private readonly client: Redis & UsageCommands;
  private everReady = false;
  private closed = false;
  private firstConnect: Promise<void> | undefined;
  private lastError: Error | undefined;
  private readonly connectTimeout: number;

  constructor(
    redis: string | RedisConnectionOptions,
    private readonly keyPrefix: string,
    private readonly now: Clock,
    Client: RedisConstructor = loadIoredis(),
  ) {
    const options: RedisOptions = { ...DEFAULTS, ...(typeof redis === 'string' ? {} : redis), ...FORCED };
    this.connectTimeout = options.connectTimeout ?? 2000;
    this.client = (typeof redis === 'string' ? new Client(redis, options) : new Client(options)) as Redis &
      UsageCommands;
    this.client.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.client.on('ready', () => {
      this.everReady = true;
    });
    this.client.defineCommand('apigwTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    this.client.defineCommand('apigwUseQuota', { numberOfKeys: 1, lua: USE_QUOTA });
  }

  async takeToken(key: string, rateLimit: number, burstLimit: number): Promise<boolean> {
    if (!(rateLimit > 0) || !(burstLimit >= 1)) return false;
    const now = this.now();
    const allowed = await this.send(() =>
      this.client.apigwTakeToken(`${this.keyPrefix}bucket:${key}`, now, rateLimit, burstLimit),
    );
    return allowed === 1;
  }

  async useQuota(key: string, limit: number, window: QuotaWindow): Promise<QuotaUse> {
    const ttl = Math.max(1, window.end - this.now()) + PERIOD_GRACE_MS;
    const [allowed, used] = await this.send(() =>
      this.client.apigwUseQuota(`${this.keyPrefix}quota:${key}:${window.start}`, limit, ttl),
    );
    return { allowed: allowed === 1, used };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.status !== 'ready') {
      this.client.disconnect();
      return;
    }
    const ended = new Promise((resolve) => this.client.once('end', resolve));
    await this.client.quit().catch(() => this.client.disconnect());
    await ended;
  }

  private async send<T>(command: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('usage store: closed');
    if (this.client.status !== 'ready') {
      // Only the first connection attempt is waited for; after it, an outage fails fast.
      if (this.everReady || this.lastError || this.client.status === 'end') throw this.unavailable();
      await this.connected();
    }
    try {
      return await command();
    } catch (error) {
      throw this.unavailable(error as Error);
    }
  }

  private connected(): Promise<void> {
    this.firstConnect ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('error', settle);
        this.client.off('end', onEnd);
        this.firstConnect = undefined;
        if (error) reject(this.unavailable(error));
        else resolve();
      };
      const onReady = () => settle();
      const onEnd = () => settle(new Error('connection closed'));
      const timer = setTimeout(() => settle(new Error('no connection yet')), this.connectTimeout);
      this.client.once('ready', onReady);
      this.client.once('error', settle);
      this.client.once('end', onEnd);
    });
    return this.firstConnect;
  }

  private unavailable(cause: Error | undefined = this.lastError): StoreUnavailableError {
    const why = cause ? `: ${cause.message}` : '';
    return new StoreUnavailableError(`usage store: Redis is unavailable (${this.client.status})${why}`, {
      cause,
    });
  }
}
