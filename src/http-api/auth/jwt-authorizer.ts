import {
  createSigningKeys,
  FIRST_RETRY_MS,
  type KeyLookup,
  MAX_RETRY_MS,
  type SigningKeys,
} from '../../auth/jwks.js';
import { isWithinLifetime, parseJwt, verifyRs256 } from '../../auth/jwt.js';
import { ConfigError } from '../../config/config-error.js';
import type { Logger } from '../../config/types.js';
import type { HttpJwtAuthorizer } from '../types.js';

/** What a JWT authorizer decides for one request (D-jwt's steps; any failure denies). */
export type JwtDecision =
  | { kind: 'allow'; jwt: { claims: Record<string, string>; scopes: string[] | null } }
  /** 401; `error` is the `error_description`, none when no token was sent. */
  | { kind: 'unauthorized'; error?: string }
  /** 403: the token is good but carries none of the route's scopes. */
  | { kind: 'forbidden' };

export interface CompiledJwtAuthorizer {
  /** Where the token is: `header` names are lower-case. */
  source: { kind: 'header' | 'querystring'; name: string };
  issuer: string;
  audience: ReadonlySet<string>;
  keys: SigningKeys;
}

const IDENTITY_SOURCE = /^\$request\.(header|querystring)\.(.+)$/;
const BEARER = /^bearer +/i;

/** D-limits: API Gateway gives OpenID discovery and the JWKS 1500 ms each (a slower key server refuses). */
const DISCOVERY_TIMEOUT_MS = 1_500;

/**
 * D-jwt: keys come from the issuer's `jwks_uri`, read from `{issuer}/.well-known/openid-configuration`
 * on first use. A failed discovery refuses (fail closed) and is retried after a growing pause.
 */
class DiscoveredKeys implements SigningKeys {
  private keys: SigningKeys | undefined;
  private inflight: Promise<SigningKeys | undefined> | undefined;
  private failures = 0;
  private retryAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly name: string,
    private readonly issuer: string,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  async find(kid: string): Promise<KeyLookup> {
    if (this.keys === undefined && this.inflight === undefined && this.now() < this.retryAt)
      return 'unavailable';
    this.inflight ??= this.discover().finally(() => {
      this.inflight = undefined;
    });
    const keys = this.keys ?? (await this.inflight);
    return keys === undefined ? 'unavailable' : keys.find(kid);
  }

  private async discover(): Promise<SigningKeys | undefined> {
    const url = `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const document = (await res.json()) as { jwks_uri?: unknown };
      if (typeof document?.jwks_uri !== 'string') throw new Error('no "jwks_uri"');
      // A URL only: the issuer's document must not make us read a file on this machine as keys.
      if (!/^https?:\/\//i.test(document.jwks_uri))
        throw new Error(`"jwks_uri" ${JSON.stringify(document.jwks_uri)} is not an https URL`);
      this.keys = createSigningKeys(
        this.name,
        this.issuer,
        document.jwks_uri,
        this.now,
        this.logger,
        `${url} jwks_uri`,
        DISCOVERY_TIMEOUT_MS,
      );
      return this.keys;
    } catch (error) {
      const pause = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(this.failures++, 30));
      this.retryAt = this.now() + pause;
      this.logger.error(
        `apigw-express: JWT authorizer "${this.name}": cannot discover the keys at ${url}: ${(error as Error).message}; tokens are refused for ${pause / 1000} s`,
      );
      return undefined;
    }
  }
}

/** CFN-authorizer: one `$request.header.X` or `$request.querystring.X`; keys from `jwks` or OpenID discovery. */
export function compileJwtAuthorizer(
  name: string,
  config: HttpJwtAuthorizer,
  now: () => number,
  logger: Logger,
): CompiledJwtAuthorizer {
  const where = `authorizers["${name}"]`;
  const match = IDENTITY_SOURCE.exec(config.identitySource ?? '$request.header.Authorization');
  if (match === null)
    throw new ConfigError(
      `${where}.identitySource: one "$request.header.NAME" or "$request.querystring.NAME" (got ${JSON.stringify(config.identitySource)})`,
    );
  const kind = match[1] as 'header' | 'querystring';
  return {
    source: { kind, name: kind === 'header' ? match[2].toLowerCase() : match[2] },
    issuer: config.issuer,
    audience: new Set(config.audience),
    keys:
      config.jwks === undefined
        ? new DiscoveredKeys(name, config.issuer, now, logger)
        : createSigningKeys(
            name,
            config.issuer,
            config.jwks,
            now,
            logger,
            `${where}.jwks`,
            DISCOVERY_TIMEOUT_MS,
          ),
  };
}

/** `scope` (space-separated) or `scp` (array or string): the token's scopes, or null when it has none. */
export function tokenScopes(payload: Record<string, unknown>): string[] | null {
  for (const value of [payload.scope, payload.scp]) {
    if (typeof value === 'string') return value.split(' ').filter((s) => s !== '');
    if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  }
  return null;
}

/** D-jwt step 4: the route's scopes need at least one in the token; a route without scopes needs none. */
export function scopesAllow(routeScopes: readonly string[], token: readonly string[] | null): boolean {
  if (routeScopes.length === 0) return true;
  return token !== null && routeScopes.some((scope) => token.includes(scope));
}

/** D-jwt-ts: `aud` when present (string or array), else `client_id`, must be one of `audience`. */
export function audienceAllows(payload: Record<string, unknown>, audience: ReadonlySet<string>): boolean {
  const { aud, client_id } = payload;
  if (aud !== undefined) {
    const values = Array.isArray(aud) ? aud : [aud];
    return values.some((v) => typeof v === 'string' && audience.has(v));
  }
  return typeof client_id === 'string' && audience.has(client_id);
}

// Claim value types are UNCONFIRMED (reference §1.2): every value a string; arrays as `[a b]`.
function claimString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimString).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The token (raw or `Bearer …`) checked as D-jwt lists: signature, issuer, audience, lifetime, scopes. */
export async function decideJwt(
  auth: CompiledJwtAuthorizer,
  sourceValue: string | undefined,
  routeScopes: readonly string[],
  now: number,
): Promise<JwtDecision> {
  if (sourceValue === undefined || sourceValue === '') return { kind: 'unauthorized' };
  const token = sourceValue.replace(BEARER, '');
  // Observed wording (reference §4.1).
  if (token.split('.').length !== 3)
    return { kind: 'unauthorized', error: 'token contains an invalid number of segments' };
  const jwt = parseJwt(token);
  if (jwt === undefined) return { kind: 'unauthorized', error: 'token is malformed' };
  const kid = jwt.header.kid;
  if (typeof kid !== 'string') return { kind: 'unauthorized', error: 'token has no kid' };
  // Fail closed: keys that cannot be had refuse like a bad signature.
  const key = await auth.keys.find(kid);
  if (typeof key === 'string' || !verifyRs256(jwt, key))
    return { kind: 'unauthorized', error: 'signature is invalid' };
  const { payload } = jwt;
  if (payload.iss !== auth.issuer) return { kind: 'unauthorized', error: 'issuer does not match' };
  if (!audienceAllows(payload, auth.audience))
    return { kind: 'unauthorized', error: 'the token does not have a valid audience' };
  if (!isWithinLifetime(payload, now)) return { kind: 'unauthorized', error: 'token is expired' };
  const scopes = tokenScopes(payload);
  if (!scopesAllow(routeScopes, scopes)) return { kind: 'forbidden' };
  const claims = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, claimString(v)]));
  // Observed (awsdocs/amazon-api-gateway-developer-guide#113): `scopes` null on a route without
  // scopes even when the token has `scope`; numbers arrive as strings.
  return { kind: 'allow', jwt: { claims, scopes: routeScopes.length === 0 ? null : scopes } };
}

/** D-jwt-ts capture: `Bearer scope="" error="invalid_token" error_description="…"`; a missing token gets `Bearer`. */
export function wwwAuthenticate(error: string | undefined): string {
  return error === undefined
    ? 'Bearer'
    : `Bearer scope="" error="invalid_token" error_description="${error}"`;
}
