import { randomUUID } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { ConfigError } from '../config/config-error.js';
import type { LambdaAuthorizer } from '../config/types.js';
import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import type { ApiRuntime } from '../integrations/compiled-integration.js';
import { toProxyEvent, toRequestContext } from '../integrations/proxy.js';
import type { LambdaFunction } from '../lambda/context.js';
import { invoke } from '../lambda/invoke.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { SafeRegex } from '../validation/safe-regex.js';
import {
  authorizerCacheOf,
  type CacheView,
  registerAuthorizerCache,
  stringBytes,
} from './authorizer-cache.js';
import { evaluatePolicy, type Policy, type PolicyDecision, parsePolicyDocument } from './evaluate-policy.js';
import type { GuardContext, MethodGuard, RequestAuth } from './guard.js';
import { compileIdentityValidation } from './identity-validation.js';
import { identitySources } from './validate-auth.js';

/** API Gateway waits 10 s for a Lambda authorizer, whatever the function's own timeout. */
const AUTHORIZER_TIMEOUT_MS = 10_000;
const DEFAULT_TTL_S = 300;
/** A methodArn longer than this is refused with 414 (API Gateway's quota for authorized methods). */
const MAX_METHOD_ARN_BYTES = 1600;

const EXPLICIT_DENY = 'User is not authorized to access this resource with an explicit deny';
const NOT_ALLOWED = 'User is not authorized to access this resource';

/** What an authorizer said, kept for the TTL and applied to every later request with the same identity. */
interface AuthorizerResult {
  principalId: string;
  policy: Policy;
  /** `requestContext.authorizer` values as the event carries them (scalars stringified). */
  context: Record<string, string | null>;
  usageIdentifierKey?: string;
  /** The methodArn the result was first given for, for the "cached policy denies" warning. */
  firstArn: string;
  /** The policy's decision per methodArn already asked: a cached policy is evaluated once per ARN. */
  decisions: Map<string, PolicyDecision>;
  /** `requestContext.authorizer` of a cache hit (integrationLatency 0), built once; events copy it. */
  hit?: Record<string, unknown>;
  /** Heap bytes accounted to the result in the cache: its JSON twice (the parsed policy, the hit copy). */
  bytes: number;
}

const MAX_DECISIONS = 256;
/** A memoised decision: the ARN string and its Map slot. */
const DECISION_OVERHEAD_BYTES = 64;

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`: the request's own
 * path (values, not the resource template) without its leading slash, in the one spelling routing
 * matched (`/pets//7/` → `pets/7`), so an ARN in a policy cannot be missed by adding slashes.
 */
export function methodArnOf(req: GatewayRequest, api: ApiIdentity): string {
  const path = req.canonicalPath.slice(1);
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.restApiId}/${api.stageName}/${req.httpMethod}/${path}`;
}

type Outcome = AuthorizerResult | GatewayError;

/** A TOKEN or REQUEST Lambda authorizer, compiled once: its function, its identity sources, its result cache. */
export class LambdaAuthorizerRuntime {
  private readonly sources: string[];
  private readonly validation: SafeRegex | undefined;
  private readonly ttlMs: number;
  private readonly cache: CacheView<AuthorizerResult> | undefined;
  /** ARN pairs already warned about, so a busy route logs the pitfall once. */
  private readonly warned = new Set<string>();

  constructor(
    readonly name: string,
    readonly config: LambdaAuthorizer,
    readonly fn: LambdaFunction,
    readonly ctx: GuardContext,
  ) {
    this.sources = identitySources(config);
    this.ttlMs = (config.authorizerResultTtlInSeconds ?? DEFAULT_TTL_S) * 1000;
    if (config.identityValidationExpression !== undefined) {
      try {
        this.validation = compileIdentityValidation(config.identityValidationExpression);
      } catch (error) {
        throw new ConfigError(
          `authorizers["${name}"].identityValidationExpression: ${(error as Error).message}`,
        );
      }
    }
    const cache = authorizerCacheOf(ctx);
    registerAuthorizerCache(config, cache);
    this.cache = cache.view<AuthorizerResult>(`lambda:${name}`, this.ttlMs);
  }

  /**
   * The guard of one method. `allowedByResourcePolicy`: whether the API's resource policy allows
   * the request, which turns the authorizer's "neither allow nor deny" into an Allow (AWS Table A).
   */
  guard(
    _route: string,
    allowedByResourcePolicy?: (req: GatewayRequest, api: ApiRuntime) => boolean,
  ): MethodGuard {
    return { authorize: (req, route, api) => this.authorize(req, route, api, allowedByResourcePolicy) };
  }

  /** The authorizer's step, timed for the access log when it is on. */
  private async authorize(
    req: GatewayRequest,
    route: RouteMatch,
    api: ApiRuntime,
    allowedByResourcePolicy?: (req: GatewayRequest, api: ApiRuntime) => boolean,
  ): Promise<RequestAuth | GatewayError> {
    const facts = req.seed?.facts;
    if (facts === undefined) return this.authorizeRequest(req, route, api, allowedByResourcePolicy);
    const started = api.now();
    const outcome = await this.authorizeRequest(req, route, api, allowedByResourcePolicy);
    facts.authorized(outcome, api.now() - started);
    return outcome;
  }

  private async authorizeRequest(
    req: GatewayRequest,
    route: RouteMatch,
    api: ApiRuntime,
    allowedByResourcePolicy?: (req: GatewayRequest, api: ApiRuntime) => boolean,
  ): Promise<RequestAuth | GatewayError> {
    const methodArn = methodArnOf(req, api.identity);
    req.trace?.startAuthorizer(this.name);
    if (Buffer.byteLength(methodArn) > MAX_METHOD_ARN_BYTES) {
      return new GatewayError('DEFAULT_4XX', { message: 'Request URI too long', statusCode: 414 });
    }
    const identity = this.identityValues(req, route, api);
    if (identity === undefined) {
      req.trace?.unauthorized();
      return new GatewayError('UNAUTHORIZED');
    }

    // One source (every TOKEN authorizer) is its own key; several are joined unambiguously.
    const key = identity.length === 1 ? identity[0] : JSON.stringify(identity);
    const cached = this.cache?.get(key);
    const facts = req.seed?.facts;
    if (facts !== undefined && this.cache !== undefined) facts.authorizerCacheHit = cached !== undefined;
    let result: Outcome;
    let latency = 0;
    if (cached !== undefined) {
      result = cached;
    } else {
      const started = api.now();
      result = await this.call(req, route, api, methodArn, identity);
      latency = Math.max(0, api.now() - started);
      if (facts !== undefined) facts.authorizerIntegrationLatency = latency;
      if (result instanceof GatewayError) return result;
      this.cache?.set(key, result, result.bytes);
    }

    const decision = this.decide(key, result, methodArn);
    const denied =
      decision !== 'allow' &&
      !(
        decision === 'implicit-deny' &&
        allowedByResourcePolicy !== undefined &&
        allowedByResourcePolicy(req, api)
      );
    req.trace?.authorizerPolicy(result.principalId, !denied);
    if (denied) {
      if (cached !== undefined && result.firstArn !== methodArn)
        this.warnCachedDeny(result.firstArn, methodArn);
      return new GatewayError('ACCESS_DENIED', {
        message: decision === 'explicit-deny' ? EXPLICIT_DENY : NOT_ALLOWED,
      });
    }
    if (cached === undefined) {
      return {
        authorizer: { ...result.context, principalId: result.principalId, integrationLatency: latency },
        usageIdentifierKey: result.usageIdentifierKey,
      };
    }
    result.hit ??= { ...result.context, principalId: result.principalId, integrationLatency: 0 };
    return { authorizer: result.hit, usageIdentifierKey: result.usageIdentifierKey };
  }

  /**
   * The cached policy's decision for `methodArn`, evaluated once per ARN: the memo is accounted
   * to the result's cache entry, so the ARNs a client makes up count against the cache budget.
   */
  private decide(key: string, result: AuthorizerResult, methodArn: string): PolicyDecision {
    let decision = result.decisions.get(methodArn);
    if (decision === undefined) {
      decision = evaluatePolicy(result.policy, methodArn);
      if (
        result.decisions.size < MAX_DECISIONS &&
        this.cache?.grow(key, result, stringBytes(methodArn) + DECISION_OVERHEAD_BYTES) === true
      ) {
        result.decisions.set(methodArn, decision);
      }
    }
    return decision;
  }

  /**
   * The identity-source values, or undefined for a 401 without invoking: a TOKEN authorizer's
   * header missing, empty or failing identityValidationExpression; a cached REQUEST authorizer's
   * source missing or empty (uncached, REQUEST sources are optional).
   */
  private identityValues(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): string[] | undefined {
    const values: string[] = [];
    let context: Record<string, unknown> | undefined;
    for (const source of this.sources) {
      let value: unknown;
      if (source.startsWith('method.request.header.')) {
        value = req.headers.lower.get(source.slice('method.request.header.'.length).toLowerCase());
      } else if (source.startsWith('method.request.multivalueheader.')) {
        const name = req.headers.names.get(
          source.slice('method.request.multivalueheader.'.length).toLowerCase(),
        );
        value = name === undefined ? undefined : req.headers.multiValueHeaders[name]?.join(',');
      } else if (source.startsWith('method.request.querystring.')) {
        const name = source.slice('method.request.querystring.'.length);
        value =
          req.query !== null && Object.hasOwn(req.query.single, name) ? req.query.single[name] : undefined;
      } else if (source.startsWith('method.request.multivaluequerystring.')) {
        const name = source.slice('method.request.multivaluequerystring.'.length);
        value =
          req.query !== null && Object.hasOwn(req.query.multi, name)
            ? req.query.multi[name].join(',')
            : undefined;
      } else if (source.startsWith('stageVariables.')) {
        const name = source.slice('stageVariables.'.length);
        const variables = api.identity.stageVariables;
        value = variables !== null && Object.hasOwn(variables, name) ? variables[name] : undefined;
      } else {
        context ??= toRequestContext(req, route, api.identity) as unknown as Record<string, unknown>;
        value = readPath(context, source.slice('context.'.length));
      }
      const text = value === undefined || value === null ? '' : String(value);
      if (text === '' && (this.config.type === 'TOKEN' || this.ttlMs > 0)) return undefined;
      values.push(text);
    }
    if (this.config.type === 'TOKEN' && this.validation !== undefined && !this.validation.test(values[0])) {
      return undefined;
    }
    return values;
  }

  /** Invokes the authorizer function and reads its answer as API Gateway does. */
  private async call(
    req: GatewayRequest,
    route: RouteMatch,
    api: ApiRuntime,
    methodArn: string,
    identity: string[],
  ): Promise<Outcome> {
    const event =
      this.config.type === 'TOKEN'
        ? tokenEvent(identity[0], methodArn)
        : requestEvent(req, route, api, methodArn);
    const requestId = randomUUID();
    req.trace?.authorizerRequest(this.fn, event, this.config.type === 'TOKEN' ? identity[0] : undefined);
    const outcome = await invoke(this.fn, event, { requestId, integrationTimeoutMs: AUTHORIZER_TIMEOUT_MS });
    const facts = req.seed?.facts;
    if (facts !== undefined && outcome.kind !== 'integration-timeout') {
      // Lambda's own status: 200 for a function error too.
      facts.authorizerRequestId = requestId;
      facts.authorizerIntegrationStatus = 200;
    }
    if (outcome.kind === 'error' && outcome.error.errorMessage === 'Unauthorized') {
      req.trace?.unauthorized();
      return new GatewayError('UNAUTHORIZED');
    }
    if (outcome.kind !== 'result') {
      req.trace?.authorizerFailed();
      api.logger.error(
        `apigw-express: authorizer ${this.name} (${this.fn.name}) failed:`,
        outcome.kind === 'integration-timeout' ? 'timed out after 10 s' : JSON.stringify(outcome.error),
      );
      return new GatewayError('AUTHORIZER_CONFIGURATION_ERROR');
    }
    req.trace?.authorizerResult(outcome.value);
    const result = readResult(outcome.value, methodArn);
    if (result === undefined) {
      req.trace?.authorizerFailed('Could not parse policy');
      api.logger.error(
        `apigw-express: authorizer ${this.name} (${this.fn.name}): Execution failed due to configuration error: Could not parse policy`,
      );
      return new GatewayError('AUTHORIZER_CONFIGURATION_ERROR');
    }
    return result;
  }

  private warnCachedDeny(firstArn: string, methodArn: string): void {
    const key = `${firstArn} ${methodArn}`;
    if (this.warned.has(key) || this.warned.size >= 1000) return;
    this.warned.add(key);
    this.ctx.logger.warn(
      `apigw-express: authorizer ${this.name}: the policy cached for ${firstArn} does not allow ${methodArn}; ` +
        'API Gateway applies a cached policy to every method for the TTL, so return a policy that covers them all ' +
        '(e.g. a Resource ending in /*) or set authorizerResultTtlInSeconds to 0',
    );
  }
}

function tokenEvent(token: string, methodArn: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', methodArn, authorizationToken: token };
}

/** The REQUEST authorizer event: the proxy event's request fields, without the body. */
function requestEvent(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiRuntime,
  methodArn: string,
): APIGatewayRequestAuthorizerEvent {
  const { body: _body, isBase64Encoded: _encoded, ...rest } = toProxyEvent(req, route, api.identity, false);
  return { type: 'REQUEST', methodArn, ...rest } as unknown as APIGatewayRequestAuthorizerEvent;
}

function readPath(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The function's result as API Gateway reads it (the runtime's JSON of it): `principalId` and a
 * parsable `policyDocument` are required; `context` values must be strings, numbers, booleans or
 * null, and reach the integration stringified. Undefined when any of that fails.
 */
function readResult(value: unknown, methodArn: string): AuthorizerResult | undefined {
  let json: unknown;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const r = json as Record<string, unknown>;
  if (r.principalId === undefined || r.principalId === null || typeof r.principalId === 'object')
    return undefined;
  const policy = parsePolicyDocument(r.policyDocument);
  if (policy === undefined) return undefined;
  const context: Record<string, string | null> = {};
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context)) return undefined;
    for (const [key, v] of Object.entries(r.context as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') return undefined; // "cannot set a JSON object or array"
      if (key === '__proto__') {
        Object.defineProperty(context, key, {
          value: v === null ? null : String(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        context[key] = v === null ? null : String(v);
      }
    }
  }
  const usageIdentifierKey = typeof r.usageIdentifierKey === 'string' ? r.usageIdentifierKey : undefined;
  return {
    principalId: String(r.principalId),
    policy,
    context,
    usageIdentifierKey,
    firstArn: methodArn,
    decisions: new Map(),
    bytes: 2 * stringBytes(text as string) + stringBytes(methodArn),
  };
}
