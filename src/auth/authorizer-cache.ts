import { LRUCache } from 'lru-cache';
import type { GuardContext } from './guard.js';

/**
 * Default `authorizerCacheSizeInBytes`: 64 MiB for every Lambda and Cognito authorizer result of
 * one API together. Entries are keyed by what clients send (tokens, identity sources), so the
 * budget is in bytes, not entries: a flood of random tokens evicts the least recently used
 * results and never grows the heap past it.
 */
export const DEFAULT_AUTHORIZER_CACHE_BYTES = 64 * 1024 * 1024;

/** V8 object headers, hash-table slots and the LRU's own arrays behind one entry (an estimate). */
export const ENTRY_OVERHEAD_BYTES = 512;

/** Heap bytes of a string, counted as two-byte (V8 keeps non-Latin-1 strings at 2 bytes a char). */
export const stringBytes = (text: string): number => 2 * text.length;

interface Slot {
  value: unknown;
  bytes: number;
  /** Gateway-clock ms after which the entry is stale (lru-cache alone never expires one set at time 0). */
  staleAfter: number;
}

/**
 * One API's authorizer result cache: a single LRU bounded by accounted bytes, shared by all its
 * authorizers (each in its own key space), so the budget holds however many authorizers name it.
 */
export class AuthorizerCache {
  private readonly lru: LRUCache<string, Slot> | undefined;

  constructor(
    readonly maxBytes: number,
    private readonly now: () => number,
  ) {
    // ttlResolution 0: read the gateway's clock on every check (a test clock moves in jumps).
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, Slot>({ maxSize: maxBytes, ttlResolution: 0, perf: { now } })
        : undefined;
  }

  /** Bytes accounted to the entries held now: never more than `maxBytes`. */
  get calculatedSize(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  /** Entries held now (expired ones included until they are read or evicted). */
  get size(): number {
    return this.lru?.size ?? 0;
  }

  /** The key space of one authorizer; `ttlMs` 0 is a view that caches nothing. */
  view<T>(authorizer: string, ttlMs: number): CacheView<T> | undefined {
    if (this.lru === undefined || ttlMs <= 0) return undefined;
    // Length-prefixed, so no two authorizer names and keys can spell the same cache key.
    return new CacheView<T>(this.lru, `${authorizer.length}:${authorizer}:`, ttlMs, this.now);
  }
}

/** One authorizer's entries in the shared cache. */
export class CacheView<T> {
  constructor(
    private readonly lru: LRUCache<string, Slot>,
    private readonly prefix: string,
    readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const slot = this.lru.get(this.prefix + key);
    if (slot === undefined) return undefined;
    // lru-cache treats a start time of 0 as "no TTL": an injected clock at 0 would cache forever.
    if (this.now() > slot.staleAfter) {
      this.lru.delete(this.prefix + key);
      return undefined;
    }
    return slot.value as T;
  }

  /**
   * Caches `value` for `ttlMs` (at most the view's TTL), accounting the key and `bytes` for the
   * value. An entry larger than the whole budget is not kept.
   */
  set(key: string, value: T, bytes: number, ttlMs = this.ttlMs): void {
    const full = this.prefix + key;
    const size = Math.ceil(ENTRY_OVERHEAD_BYTES + stringBytes(full) + bytes);
    const ttl = Math.max(1, Math.floor(Math.min(ttlMs, this.ttlMs)));
    this.lru.set(full, { value, bytes: size, staleAfter: this.now() + ttl }, { size, ttl });
  }

  /**
   * Accounts `bytes` more to the entry holding `value` (something memoised on it after it was
   * cached), keeping its expiry. False when the entry is gone or replaced, or the growth would
   * not fit: the caller then does not memoise.
   */
  grow(key: string, value: T, bytes: number): boolean {
    const full = this.prefix + key;
    const slot = this.lru.peek(full);
    if (slot === undefined || slot.value !== value) return false;
    const size = slot.bytes + Math.ceil(bytes);
    if (size > this.lru.maxSize) return false;
    // A new slot object: lru-cache re-accounts the size only when the stored value changes.
    this.lru.set(full, { value, bytes: size, staleAfter: slot.staleAfter }, { size, noUpdateTTL: true });
    return true;
  }

  delete(key: string): void {
    this.lru.delete(this.prefix + key);
  }
}

const caches = new WeakMap<GuardContext, AuthorizerCache>();

/** The API's one authorizer cache, sized by its `authorizerCacheSizeInBytes`. */
export function authorizerCacheOf(ctx: GuardContext): AuthorizerCache {
  let cache = caches.get(ctx);
  if (cache === undefined) {
    cache = new AuthorizerCache(
      ctx.options.authorizerCacheSizeInBytes ?? DEFAULT_AUTHORIZER_CACHE_BYTES,
      ctx.now,
    );
    caches.set(ctx, cache);
  }
  return cache;
}

// For tests: the cache serving an authorizer's config object (the object in `options.authorizers`).
const byConfig = new WeakMap<object, AuthorizerCache>();

/** @internal Registers the cache an authorizer config is served from. */
export function registerAuthorizerCache(config: object, cache: AuthorizerCache): void {
  byConfig.set(config, cache);
}

/** @internal The cache serving the authorizer configured by `config`, for tests measuring it. */
export function authorizerCacheFor(config: object): AuthorizerCache | undefined {
  return byConfig.get(config);
}
