/**
 * Where usage plans keep their throttling buckets and quota counters. The gateway calls one
 * store for every API key; the default lives in memory, `{ redis }` shares it across processes,
 * and any object with these two methods can stand in (a DynamoDB or Postgres one, say).
 *
 * Both methods reject with `StoreUnavailableError` when the counts cannot be read or written;
 * the gateway then answers 500 for that request rather than let it through unmetered.
 * @example
 * const store = createUsageStore({ redis: 'redis://127.0.0.1:6379', keyPrefix: 'apigw:' }, Date.now);
 * const window = quotaPeriod('MONTH', Date.now());
 * if (!(await store.takeToken('key-1', 10, 20))) throw new GatewayError('THROTTLED');
 * if (!(await store.useQuota('key-1', 5000, window)).allowed) throw new GatewayError('QUOTA_EXCEEDED');
 */
export interface UsageStore {
  /**
   * Takes one token from the bucket `key`: the bucket holds at most `burstLimit` tokens, starts
   * full and refills at `rateLimit` tokens per second. Resolves `false` when it is empty.
   */
  takeToken(key: string, rateLimit: number, burstLimit: number): Promise<boolean>;
  /**
   * Counts one use of quota `key` in `window` when fewer than `limit` were counted there; a
   * refused use is not counted. `used` is the count after this call.
   */
  useQuota(key: string, limit: number, window: QuotaWindow): Promise<QuotaUse>;
  /** Releases connections; the store refuses further calls. */
  close?(): Promise<void>;
}

/** One quota period, `[start, end)` in ms since the epoch (see `quotaPeriod`). */
export interface QuotaWindow {
  start: number;
  end: number;
}

export interface QuotaUse {
  allowed: boolean;
  used: number;
}

/**
 * ioredis connection options (`new Redis(options)`), e.g. `{ host, port, password, db, tls }`.
 * Typed loosely so that apps without ioredis installed still type-check.
 */
export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  path?: string;
  username?: string;
  password?: string;
  db?: number;
  [option: string]: unknown;
}

/** The gateway's `store` option: memory when absent, Redis with `redis`, or your own store. */
export type UsageStoreOption =
  | {
      /** `redis://…` URL or ioredis options; requires the optional peer dependency `ioredis`. */
      redis?: string | RedisConnectionOptions;
      /** Prepended to every Redis key; default `apigw:`. */
      keyPrefix?: string;
    }
  | UsageStore;

/** Milliseconds since the epoch; the gateway's clock, so tests can move time. */
export type Clock = () => number;
