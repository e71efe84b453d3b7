// The store's types are option types (`store`), so they live with the other options; named here
// too, where the stores implement them.
export type {
  QuotaUse,
  QuotaWindow,
  RedisConnectionOptions,
  UsageStore,
  UsageStoreOption,
} from '../config/types.js';

/** Milliseconds since the epoch; the gateway's clock, so tests can move time. */
export type Clock = () => number;
