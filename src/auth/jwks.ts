import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import type { Logger } from '../config/types.js';
import { decodeBase64Url } from './jwt.js';

/** A signing key by `kid`; `unknown-kid` when the pool has none; `unavailable` when its keys cannot be had. */
export type KeyLookup = KeyObject | 'unknown-kid' | 'unavailable';

/** A user pool's signing keys, by `kid`. */
export interface SigningKeys {
  find(kid: string): Promise<KeyLookup>;
}

const MIN_MODULUS_BITS = 2048;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A JWKS document → its RSA signing keys by `kid`. Keys of another type, for encryption
 * (`use: enc`), for another algorithm, shorter than 2048 bits or without a `kid` are left out, as a verifier never
 * picks them. Throws when the document is not `{ keys: [...] }`.
 */
export function importJwks(jwks: unknown): Map<string, KeyObject> {
  if (!isObject(jwks) || !Array.isArray(jwks.keys))
    throw new Error('not a JWKS document ({ "keys": [...] })');
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys) {
    if (!isObject(jwk) || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
    // Node's JWK import reads any string leniently: insist on canonical base64url first.
    if (decodeBase64Url(jwk.n) === undefined || decodeBase64Url(jwk.e) === undefined) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
    try {
      // Public members only: a JWKS that leaks `d` must not make us hold a private key.
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      // RFC 7518 §3.3: RS256 keys are 2048 bits or larger (Cognito's are 2048).
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits >= MIN_MODULUS_BITS && !keys.has(jwk.kid)) keys.set(jwk.kid, key);
    } catch {
      // a malformed key is no key
    }
  }
  return keys;
}

/** Keys given in the config (object or file): fixed for the life of the gateway. */
class StaticKeys implements SigningKeys {
  constructor(private readonly keys: Map<string, KeyObject>) {
    if (keys.size === 0) throw new Error('no RSA signing key with a "kid"');
  }
  async find(kid: string): Promise<KeyLookup> {
    return this.keys.get(kid) ?? 'unknown-kid';
  }
}

/** An unknown `kid` refetches the JWKS at most this often: key rotation, without a fetch per forged token. */
export const REFETCH_INTERVAL_MS = 60_000;
export const FETCH_TIMEOUT_MS = 10_000;
/** After a failed first fetch, no fetch for 1 s, then 2 s, 4 s… up to 30 s: lookups meanwhile refuse at once. */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;

/**
 * Keys behind a URL: fetched on first use and cached. An unknown `kid` refetches, at most once
 * per REFETCH_INTERVAL_MS by the gateway's clock. Until the first fetch succeeds, a failure
 * backs off exponentially: lookups in the pause answer `unavailable` without fetching, so a
 * dead or hanging key server costs one fetch per pause, not one (and a 10 s wait) per request.
 * Concurrent lookups share one fetch.
 */
class RemoteKeys implements SigningKeys {
  private keys: Map<string, KeyObject> | undefined;
  private lastAttempt = 0;
  private inflight: Promise<boolean> | undefined;
  private failures = 0;
  /** No first fetch before this time (ms, gateway clock). */
  private retryAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly url: string,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly timeoutMs = FETCH_TIMEOUT_MS,
  ) {}

  async find(kid: string): Promise<KeyLookup> {
    if (this.keys === undefined) {
      if (this.inflight === undefined && this.now() < this.retryAt) return 'unavailable';
      if (!(await this.fetchShared())) return 'unavailable';
    } else if (!this.keys.has(kid) && this.now() - this.lastAttempt >= REFETCH_INTERVAL_MS) {
      if (!(await this.fetchShared())) return 'unavailable';
    }
    return this.keys?.get(kid) ?? 'unknown-kid';
  }

  private fetchShared(): Promise<boolean> {
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<boolean> {
    this.lastAttempt = this.now();
    try {
      const res = await fetch(this.url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.keys = importJwks(await res.json());
      this.failures = 0;
      return true;
    } catch (error) {
      const pause = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(this.failures, 30));
      this.failures++;
      // From the failure's end: a fetch that hung for 10 s still pauses the next one.
      if (this.keys === undefined) this.retryAt = this.now() + pause;
      this.logger.error(
        `apigw-express: cannot fetch the user pool keys from ${this.url}: ${(error as Error).message}` +
          (this.keys === undefined ? `; requests are refused without a fetch for ${pause / 1000} s` : ''),
      );
      return false;
    }
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where `userPools[poolId].jwks` points: an https URL, an http URL on this machine (a local
 * JWKS server: cognito-local, moto, a test's), or else a file path.
 */
function jwksUrl(source: string, where: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ConfigError(`${where}: ${JSON.stringify(source)} is not a valid URL`);
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.')))
    return url.href;
  throw new ConfigError(
    `${where}: ${JSON.stringify(source)}: keys are fetched over https (http only from localhost)`,
  );
}

/** The public JWKS of a Cognito user pool, as API Gateway reads it. */
export function cognitoJwksUrl(issuer: string): string {
  return `${issuer}/.well-known/jwks.json`;
}

/**
 * The signing keys of one user pool, from its `userPools` entry (object, file read now, URL
 * fetched on first use) or else from the pool's public JWKS URL. Throws ConfigError for an
 * unreadable file or an unusable URL.
 */
export function createSigningKeys(
  poolId: string,
  issuer: string,
  jwks: { keys: Record<string, unknown>[] } | string | undefined,
  now: () => number,
  logger: Logger,
  where = `userPools["${poolId}"].jwks`,
  fetchTimeoutMs = FETCH_TIMEOUT_MS,
): SigningKeys {
  if (jwks === undefined) return new RemoteKeys(cognitoJwksUrl(issuer), now, logger, fetchTimeoutMs);
  if (typeof jwks !== 'string') {
    try {
      return new StaticKeys(importJwks(jwks));
    } catch (error) {
      throw new ConfigError(`${where}: ${(error as Error).message}`);
    }
  }
  const url = jwksUrl(jwks, where);
  if (url !== undefined) return new RemoteKeys(url, now, logger, fetchTimeoutMs);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(jwks, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${jwks}: ${(error as Error).message}`);
  }
  try {
    return new StaticKeys(importJwks(document));
  } catch (error) {
    throw new ConfigError(`${where}: ${jwks}: ${(error as Error).message}`);
  }
}
