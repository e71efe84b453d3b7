import type { CognitoAuthorizer } from '../config/types.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { GatewayError } from '../responses/gateway-error.js';
import {
  authorizerCacheOf,
  type CacheView,
  registerAuthorizerCache,
  stringBytes,
} from './authorizer-cache.js';
import { toClaimStrings } from './cognito-claims.js';
import type { GuardContext, MethodGuard, RequestAuth } from './guard.js';
import { createSigningKeys, type SigningKeys } from './jwks.js';
import { isWithinLifetime, parseJwt, verifyRs256 } from './jwt.js';
import { COGNITO_POOL_ARN, identitySources } from './validate-auth.js';

/** A Cognito user-pool authorizer, compiled once: its pools' keys and its result cache. */
export interface CognitoAuthorizerRuntime {
  /** The guard of one method; `scopes` are the method's authorizationScopes. */
  guard(route: string, scopes: string[]): MethodGuard;
}

/** A token whose signature, issuer and lifetime checked out: what the cache keeps. */
interface VerifiedToken {
  claims: Record<string, string>;
  tokenUse: unknown;
  scopes: ReadonlySet<string>;
  /** ms: the earlier of the cache TTL and the token's `exp`. */
  cachedUntil: number;
  /** Heap bytes accounted to it in the cache: the claim strings and scopes. */
  bytes: number;
}

const DEFAULT_TTL_SECONDS = 300;
const BEARER = /^bearer +/i;

/** `https://cognito-idp.{region}.amazonaws.com/{poolId}`: the `iss` of the pool's tokens. */
export function cognitoIssuer(providerArn: string): { poolId: string; issuer: string } {
  const [, region, , poolId] = COGNITO_POOL_ARN.exec(providerArn) as RegExpExecArray;
  const domain = providerArn.startsWith('arn:aws-cn:') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { poolId, issuer: `https://cognito-idp.${region}.${domain}/${poolId}` };
}

// One key store per pool and gateway, so authorizers naming the same pool share its fetched keys.
const keyStores = new WeakMap<GuardContext, Map<string, SigningKeys>>();

function poolKeys(ctx: GuardContext, poolId: string, issuer: string): SigningKeys {
  let stores = keyStores.get(ctx);
  if (stores === undefined) {
    stores = new Map();
    keyStores.set(ctx, stores);
  }
  let keys = stores.get(issuer);
  if (keys === undefined) {
    const entry = ctx.options.userPools?.[poolId];
    keys = createSigningKeys(poolId, issuer, entry?.jwks, ctx.now, ctx.logger);
    stores.set(issuer, keys);
  }
  return keys;
}

/**
 * A COGNITO_USER_POOLS authorizer: reads the token from its identity-source header (raw or
 * `Bearer …`), verifies it against the keys of one of its user pools, caches the verified
 * claims by token, and lets each method check the token kind and its scopes.
 */
class CognitoUserPoolAuthorizer implements CognitoAuthorizerRuntime {
  /** Issuer → that pool's signing keys. */
  private readonly pools = new Map<string, SigningKeys>();
  private readonly header: string;
  private readonly ttlMs: number;
  private readonly cache: CacheView<VerifiedToken> | undefined;

  constructor(
    readonly name: string,
    config: CognitoAuthorizer,
    readonly ctx: GuardContext,
  ) {
    for (const arn of config.providerARNs) {
      const { poolId, issuer } = cognitoIssuer(arn);
      this.pools.set(issuer, poolKeys(ctx, poolId, issuer));
    }
    this.header = identitySources(config)[0].slice('method.request.header.'.length).toLowerCase();
    this.ttlMs = (config.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
    const cache = authorizerCacheOf(ctx);
    registerAuthorizerCache(config, cache);
    this.cache = cache.view<VerifiedToken>(`cognito:${name}`, this.ttlMs);
  }

  guard(_route: string, scopes: string[]): MethodGuard {
    return new CognitoMethodGuard(this, scopes);
  }

  /** The request's token verified (from the cache while its entry lives), or the answer refusing it. */
  async verifyRequest(req: GatewayRequest): Promise<VerifiedToken | GatewayError> {
    const value = req.headers.lower.get(this.header);
    const token = value?.replace(BEARER, '') ?? '';
    if (token === '') return this.refuse('no token in the identity source');
    const now = this.ctx.now();
    const cached = this.cache?.get(token);
    const facts = req.seed?.facts;
    if (facts !== undefined && this.cache !== undefined) {
      facts.authorizerCacheHit = cached !== undefined && now < cached.cachedUntil;
    }
    if (cached !== undefined) {
      if (now < cached.cachedUntil) return cached;
      this.cache?.delete(token);
    }
    const verified = await this.verify(token, now);
    if (typeof verified === 'string') return this.refuse(verified);
    if (verified instanceof GatewayError) return verified;
    this.cache?.set(token, verified, verified.bytes, verified.cachedUntil - now);
    return verified;
  }

  /** The API's clock, for the access log's authorizer latency. */
  now(): number {
    return this.ctx.now();
  }

  refuse(reason: string): GatewayError {
    this.ctx.logger.debug?.(`apigw-express: authorizer "${this.name}" refused the token: ${reason}`);
    return new GatewayError('UNAUTHORIZED');
  }

  /** Signature first, then claims: nothing in the payload is believed before its key is found and checks out. */
  private async verify(token: string, now: number): Promise<VerifiedToken | GatewayError | string> {
    const jwt = parseJwt(token);
    if (jwt === undefined) return 'not a JWT';
    if (jwt.header.alg !== 'RS256') return `algorithm ${JSON.stringify(jwt.header.alg)} (RS256 only)`;
    const { iss, exp, token_use: tokenUse, scope } = jwt.payload;
    const keys = typeof iss === 'string' ? this.pools.get(iss) : undefined;
    if (keys === undefined) return `issuer ${JSON.stringify(iss)} is none of the authorizer's user pools`;
    const kid = jwt.header.kid;
    if (typeof kid !== 'string') return 'no kid';
    const key = await keys.find(kid);
    if (key === 'unavailable') {
      // D-gwr: AUTHORIZER_CONFIGURATION_ERROR is "failing to connect to a custom or Amazon Cognito authorizer".
      return new GatewayError('AUTHORIZER_CONFIGURATION_ERROR');
    }
    if (key === 'unknown-kid') return `unknown kid ${JSON.stringify(kid)}`;
    if (!verifyRs256(jwt, key)) return 'bad signature';
    if (!isWithinLifetime(jwt.payload, now)) return 'expired or not yet valid';
    if (tokenUse !== 'id' && tokenUse !== 'access') return `token_use ${JSON.stringify(tokenUse)}`;
    const claims = toClaimStrings(jwt.payload);
    const scopes = typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [];
    let bytes = 0;
    for (const [name, value] of Object.entries(claims)) bytes += stringBytes(name) + stringBytes(value);
    for (const s of scopes) bytes += stringBytes(s);
    return {
      claims,
      tokenUse,
      scopes: new Set(scopes),
      cachedUntil: Math.min(now + this.ttlMs, (exp as number) * 1000),
      // Each claim and scope is also a property or set slot.
      bytes: bytes + 64 * (Object.keys(claims).length + scopes.length),
    };
  }
}

/** One method's view of the authorizer: without scopes an ID token, with scopes an access token carrying one. */
class CognitoMethodGuard implements MethodGuard {
  constructor(
    private readonly authorizer: CognitoUserPoolAuthorizer,
    private readonly scopes: string[],
  ) {}

  async authorize(req: GatewayRequest): Promise<RequestAuth | GatewayError> {
    const facts = req.seed?.facts;
    if (facts === undefined) return this.authorizeRequest(req);
    const started = this.authorizer.now();
    const outcome = await this.authorizeRequest(req);
    facts.authorized(outcome, this.authorizer.now() - started);
    return outcome;
  }

  private async authorizeRequest(req: GatewayRequest): Promise<RequestAuth | GatewayError> {
    const token = await this.authorizer.verifyRequest(req);
    if (token instanceof GatewayError) return token;
    if (this.scopes.length === 0) {
      // Verified live: an access token on a method without scopes is 401 (awslabs/nx-plugin-for-aws#828).
      if (token.tokenUse !== 'id')
        return this.authorizer.refuse('an ID token is expected (no method scopes)');
    } else {
      if (token.tokenUse !== 'access')
        return this.authorizer.refuse('an access token is expected (method scopes)');
      // No matching scope: 401 (UNSURE: a 403 was never reported).
      if (!this.scopes.some((s) => token.scopes.has(s))) return this.authorizer.refuse('no matching scope');
    }
    return { authorizer: { claims: token.claims } };
  }
}

export function createCognitoAuthorizer(
  name: string,
  config: CognitoAuthorizer,
  ctx: GuardContext,
): CognitoAuthorizerRuntime {
  return new CognitoUserPoolAuthorizer(name, config, ctx);
}
