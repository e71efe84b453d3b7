import type { Logger } from '../../config/types.js';
import type { LambdaFunction } from '../../lambda/context.js';
import type { HttpApiIdentity, HttpApiRequest } from '../to-event-v2.js';
import type { HttpApiOptions, HttpJwtAuthorizer } from '../types.js';
import { compileIamAuth } from './iam-auth.js';
import {
  type CompiledJwtAuthorizer,
  compileJwtAuthorizer,
  decideJwt,
  wwwAuthenticate,
} from './jwt-authorizer.js';
import {
  type CompiledLambdaAuthorizer,
  compileLambdaAuthorizer,
  createAuthorizerCache,
} from './lambda-authorizer.js';

/** A route's authorization outcome: what goes into `requestContext.authorizer`, or the refusal to send. */
export type RouteAuthResult =
  /** `v1` undefined: the 1.0 event keeps its own `authorizer`. */
  | { kind: 'allow'; v2: Record<string, unknown>; v1: Record<string, unknown> | undefined }
  | {
      kind: 'deny';
      type: 'UNAUTHORIZED' | 'FORBIDDEN' | 'INTERNAL_SERVER_ERROR';
      headers: Record<string, string>;
    };

export type RouteAuth = (request: HttpApiRequest) => Promise<RouteAuthResult>;

type Compiled =
  | { kind: 'jwt'; auth: CompiledJwtAuthorizer }
  | { kind: 'lambda'; auth: CompiledLambdaAuthorizer };

/** The API's authorizers compiled once (keys and cache shared by every route), then one guard per route. */
export function compileRouteAuth(
  options: HttpApiOptions,
  identity: HttpApiIdentity,
  functions: Map<string, LambdaFunction>,
  clock: () => number,
  logger: Logger,
): (routeKey: string) => RouteAuth | undefined {
  const compiled = new Map<string, Compiled>();
  const cache = createAuthorizerCache(clock);
  for (const [name, config] of Object.entries(options.authorizers ?? {})) {
    if (config.type === 'REQUEST') {
      const fn = functions.get(config.function) as LambdaFunction;
      compiled.set(name, {
        kind: 'lambda',
        auth: compileLambdaAuthorizer(name, config, fn, identity, cache, logger),
      });
    } else
      compiled.set(name, {
        kind: 'jwt',
        auth: compileJwtAuthorizer(name, config as HttpJwtAuthorizer, clock, logger),
      });
  }
  return (routeKey) => {
    const route = (options.routes ?? {})[routeKey];
    if (route.authorizationType === 'AWS_IAM') {
      const check = compileIamAuth(`routes["${routeKey}"]`, options.awsCredentials, identity, clock, logger);
      return async (request): Promise<RouteAuthResult> => {
        try {
          const iam = await check(request);
          // Refusal: 403 {"message":"Forbidden"} (reference §4.3, UNCONFIRMED).
          if (iam === undefined) return { kind: 'deny', type: 'FORBIDDEN', headers: {} };
          return { kind: 'allow', v2: { iam }, v1: undefined };
        } catch (error) {
          logger.error(`apigw-express: AWS_IAM check on ${routeKey} failed:`, error);
          return { kind: 'deny', type: 'INTERNAL_SERVER_ERROR', headers: {} };
        }
      };
    }
    if (route.authorizer === undefined) return undefined;
    const name = route.authorizer;
    const entry = compiled.get(name) as Compiled;
    const scopes = route.authorizationScopes ?? [];
    return async (request): Promise<RouteAuthResult> => {
      try {
        return entry.kind === 'jwt'
          ? await jwtAuth(entry.auth, request, scopes, clock())
          : await lambdaAuth(entry.auth, request);
      } catch (error) {
        // Fail closed: an authorizer that breaks refuses.
        logger.error(`apigw-express: authorizer "${name}" failed:`, error);
        return { kind: 'deny', type: 'INTERNAL_SERVER_ERROR', headers: {} };
      }
    };
  };
}

async function jwtAuth(
  auth: CompiledJwtAuthorizer,
  request: HttpApiRequest,
  scopes: string[],
  now: number,
): Promise<RouteAuthResult> {
  const value =
    auth.source.kind === 'header'
      ? request.headers.get(auth.source.name)?.join(',')
      : request.query && Object.hasOwn(request.query.multi, auth.source.name)
        ? request.query.multi[auth.source.name].join(',')
        : undefined;
  const decision = await decideJwt(auth, value, scopes, now);
  if (decision.kind === 'unauthorized')
    return {
      kind: 'deny',
      type: 'UNAUTHORIZED',
      headers: { 'www-authenticate': wwwAuthenticate(decision.error) },
    };
  if (decision.kind === 'forbidden') return { kind: 'deny', type: 'FORBIDDEN', headers: {} };
  // D-lambda 2.0: `authorizer.jwt`; the 1.0 sample's `authorizer` is `{ claims, scopes }`.
  return { kind: 'allow', v2: { jwt: decision.jwt }, v1: { ...decision.jwt } };
}

async function lambdaAuth(auth: CompiledLambdaAuthorizer, request: HttpApiRequest): Promise<RouteAuthResult> {
  const decision = await auth.decide(request);
  if (decision.kind === 'unauthorized') return { kind: 'deny', type: 'UNAUTHORIZED', headers: {} };
  if (decision.kind === 'forbidden') return { kind: 'deny', type: 'FORBIDDEN', headers: {} };
  if (decision.kind === 'error') return { kind: 'deny', type: 'INTERNAL_SERVER_ERROR', headers: {} };
  const context = decision.context ?? {};
  // D-lauth: 2.0 integrations read `authorizer.lambda`; 1.0 gets the REST shape (UNCONFIRMED).
  const v1: Record<string, unknown> = { ...context };
  if (decision.principalId !== undefined) v1.principalId = decision.principalId;
  return { kind: 'allow', v2: { lambda: context }, v1 };
}
