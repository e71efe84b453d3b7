import { randomUUID } from 'node:crypto';
import {
  AuthorizerCache,
  type CacheView,
  DEFAULT_AUTHORIZER_CACHE_BYTES,
  stringBytes,
} from '../../auth/authorizer-cache.js';
import { evaluatePolicy, type Policy, parsePolicyDocument } from '../../auth/evaluate-policy.js';
import type { Logger } from '../../config/types.js';
import type { LambdaFunction } from '../../lambda/context.js';
import { invoke } from '../../lambda/invoke.js';
import { toEventV1 } from '../to-event-v1.js';
import { domainNameOf, type HttpApiIdentity, type HttpApiRequest, toEventV2 } from '../to-event-v2.js';
import type { HttpLambdaAuthorizer } from '../types.js';

/** D-limits: API Gateway waits 10 s for a Lambda authorizer. */
const AUTHORIZER_TIMEOUT_MS = 10_000;

/** CFN-authorizer: header names case-insensitive, query names case-sensitive, `$context.*`, `$stageVariables.*`. */
export const IDENTITY_SOURCE = /^\$(request\.header|request\.querystring|context|stageVariables)\.([^\s,]+)$/;

/** What the function answered, kept for the TTL: a yes/no (simple) or a policy applied per route ARN. */
type Verdict =
  | { kind: 'simple'; allow: boolean; context: Record<string, unknown> | undefined }
  | { kind: 'policy'; policy: Policy; principalId: unknown; context: Record<string, unknown> | undefined };

export type LambdaDecision =
  | { kind: 'allow'; context: Record<string, unknown> | undefined; principalId?: unknown }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'error' };

export interface CompiledLambdaAuthorizer {
  decide(request: HttpApiRequest): Promise<LambdaDecision>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `$context` variables an identity source may name here (D-logvars). */
export const CONTEXT_SOURCES = new Set([
  'routeKey',
  'requestId',
  'httpMethod',
  'path',
  'identity.sourceIp',
  'identity.userAgent',
  'stage',
  'apiId',
  'accountId',
  'domainName',
]);

function contextValue(name: string, req: HttpApiRequest, api: HttpApiIdentity): string | undefined {
  switch (name) {
    case 'routeKey':
      return req.routeKey;
    case 'requestId':
      return req.requestId;
    case 'httpMethod':
      return req.method;
    case 'path':
      return req.rawPath;
    case 'identity.sourceIp':
      return req.sourceIp;
    case 'identity.userAgent':
      return req.headers.get('user-agent')?.join(',');
    case 'stage':
      return api.stage;
    case 'apiId':
      return api.apiId;
    case 'accountId':
      return api.accountId;
    case 'domainName':
      return domainNameOf(req, api);
    default:
      return undefined;
  }
}

/** One identity source's value in this request; undefined when absent or empty (CFN-authorizer). */
function sourceValue(source: string, req: HttpApiRequest, api: HttpApiIdentity): string | undefined {
  const [, where, name] = IDENTITY_SOURCE.exec(source) as RegExpExecArray;
  let value: string | undefined;
  if (where === 'request.header') value = req.headers.get(name.toLowerCase())?.join(',');
  // Own names only: `$request.querystring.constructor` is a parameter, not Object.prototype's.
  else if (where === 'request.querystring')
    value = req.query && Object.hasOwn(req.query.multi, name) ? req.query.multi[name].join(',') : undefined;
  else if (where === 'stageVariables') value = api.stageVariables?.[name];
  else {
    value = contextValue(name, req, api);
  }
  return value === '' ? undefined : value;
}

/** The function's answer as D-lauth reads it, or undefined for an invalid format (→ 500). */
export function readVerdict(value: unknown, simple: boolean): Verdict | undefined {
  if (!isObject(value)) return undefined;
  const context = value.context;
  if (context !== undefined && context !== null && !isObject(context)) return undefined;
  const ctx = isObject(context) ? context : undefined;
  if (simple && typeof value.isAuthorized === 'boolean')
    return { kind: 'simple', allow: value.isAuthorized, context: ctx };
  const policy = parsePolicyDocument(value.policyDocument);
  if (policy === undefined) return undefined;
  return { kind: 'policy', policy, principalId: value.principalId, context: ctx };
}

/** The verdict for one route ARN: simple answers hold for every route; a policy must allow this one. */
export function applyVerdict(verdict: Verdict, routeArn: string): LambdaDecision {
  if (verdict.kind === 'simple')
    return verdict.allow ? { kind: 'allow', context: verdict.context } : { kind: 'forbidden' };
  return evaluatePolicy(verdict.policy, routeArn) === 'allow'
    ? { kind: 'allow', context: verdict.context, principalId: verdict.principalId }
    : { kind: 'forbidden' };
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}` (D-lauth's `routeArn`). */
function routeArnOf(req: HttpApiRequest, api: HttpApiIdentity): string {
  const path = api.stage === '$default' ? req.rawPath : req.rawPath.slice(api.stage.length + 1) || '/';
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${req.method}${path}`;
}

function authorizerEvent(
  config: HttpLambdaAuthorizer,
  req: HttpApiRequest,
  api: HttpApiIdentity,
  values: string[],
  routeArn: string,
): Record<string, unknown> {
  // D-lauth: the request without its body.
  if (config.authorizerPayloadFormatVersion === '2.0') {
    const {
      body: _b,
      isBase64Encoded: _e,
      version: _v,
      ...rest
    } = toEventV2(req, api) as unknown as Record<string, unknown>;
    return { version: '2.0', type: 'REQUEST', routeArn, identitySource: values, ...rest };
  }
  const {
    body: _b,
    isBase64Encoded: _e,
    version: _v,
    ...rest
  } = toEventV1(req, api) as unknown as Record<string, unknown>;
  const joined = values.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: routeArn,
    identitySource: joined,
    authorizationToken: joined,
    ...rest,
  };
}

export function compileLambdaAuthorizer(
  name: string,
  config: HttpLambdaAuthorizer,
  fn: LambdaFunction,
  api: HttpApiIdentity,
  cache: AuthorizerCache,
  logger: Logger,
): CompiledLambdaAuthorizer {
  const sources = config.identitySource ?? [];
  const simple = config.enableSimpleResponses === true;
  // CFN-authorizer: 0 turns caching off; with no identity source there is no key to cache by.
  const view: CacheView<Verdict> | undefined =
    sources.length > 0
      ? cache.view<Verdict>(name, (config.authorizerResultTtlInSeconds ?? 0) * 1000)
      : undefined;
  return {
    async decide(req) {
      const values: string[] = [];
      for (const source of sources) {
        const value = sourceValue(source, req, api);
        // D-lauth: a missing identity source is a 401 without calling the function.
        if (value === undefined) return { kind: 'unauthorized' };
        values.push(value);
      }
      const routeArn = routeArnOf(req, api);
      const key = values.map((v) => `${v.length}:${v}`).join('');
      const cached = view?.get(key);
      if (cached !== undefined) return applyVerdict(cached, routeArn);
      const event = authorizerEvent(config, req, api, values, routeArn);
      const outcome = await invoke(fn, event, {
        requestId: randomUUID(),
        integrationTimeoutMs: AUTHORIZER_TIMEOUT_MS,
      });
      // As on REST (UNCONFIRMED for HTTP APIs): an error "Unauthorized" is the 401 answer.
      if (outcome.kind === 'error' && outcome.error.errorMessage === 'Unauthorized')
        return { kind: 'unauthorized' };
      if (outcome.kind !== 'result') {
        logger.error(
          `apigw-express: authorizer ${name} (${fn.name}) failed:`,
          outcome.kind === 'integration-timeout' ? 'timed out after 10 s' : JSON.stringify(outcome.error),
        );
        return { kind: 'error' };
      }
      let verdict: Verdict | undefined;
      try {
        verdict = readVerdict(JSON.parse(JSON.stringify(outcome.value) ?? 'null'), simple);
      } catch {
        verdict = undefined;
      }
      if (verdict === undefined) {
        logger.error(
          `apigw-express: authorizer ${name} (${fn.name}): the response is not in the ${simple ? 'simple ({ isAuthorized, context }) or ' : ''}IAM policy format; the client gets 500`,
        );
        return { kind: 'error' };
      }
      // Errors are not cached; answers, refusals included, are (UNCONFIRMED, reference §4.2).
      view?.set(key, verdict, stringBytes(JSON.stringify(outcome.value) ?? ''));
      return applyVerdict(verdict, routeArn);
    },
  };
}

export function createAuthorizerCache(clock: () => number): AuthorizerCache {
  return new AuthorizerCache(DEFAULT_AUTHORIZER_CACHE_BYTES, clock);
}
