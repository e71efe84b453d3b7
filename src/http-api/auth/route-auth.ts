import type { Logger } from '../../config/types.js';
import type { HttpApiRequest } from '../to-event-v2.js';
import type { HttpApiOptions } from '../types.js';
import {
  type CompiledJwtAuthorizer,
  compileJwtAuthorizer,
  decideJwt,
  wwwAuthenticate,
} from './jwt-authorizer.js';

/** A route's authorization outcome: what goes into `requestContext.authorizer`, or the refusal to send. */
export type RouteAuthResult =
  | { kind: 'allow'; v2: Record<string, unknown>; v1: Record<string, unknown> }
  | {
      kind: 'deny';
      type: 'UNAUTHORIZED' | 'FORBIDDEN' | 'INTERNAL_SERVER_ERROR';
      headers: Record<string, string>;
    };

export type RouteAuth = (request: HttpApiRequest) => Promise<RouteAuthResult>;

/** The API's authorizers compiled once (keys shared by every route), then one guard per route. */
export function compileRouteAuth(
  options: HttpApiOptions,
  clock: () => number,
  logger: Logger,
): (routeKey: string) => RouteAuth | undefined {
  const compiled = new Map<string, CompiledJwtAuthorizer>();
  for (const [name, config] of Object.entries(options.authorizers ?? {}))
    compiled.set(name, compileJwtAuthorizer(name, config, clock, logger));
  return (routeKey) => {
    const route = options.routes[routeKey];
    if (route.authorizer === undefined) return undefined;
    const auth = compiled.get(route.authorizer) as CompiledJwtAuthorizer;
    const scopes = route.authorizationScopes ?? [];
    return async (request): Promise<RouteAuthResult> => {
      const value =
        auth.source.kind === 'header'
          ? request.headers.get(auth.source.name)?.join(',')
          : request.query?.multi[auth.source.name]?.join(',');
      let decision: Awaited<ReturnType<typeof decideJwt>>;
      try {
        decision = await decideJwt(auth, value, scopes, clock());
      } catch (error) {
        // Fail closed: a verifier that breaks refuses.
        logger.error(`apigw-express: JWT authorizer "${route.authorizer}" failed:`, error);
        return { kind: 'deny', type: 'UNAUTHORIZED', headers: { 'www-authenticate': 'Bearer' } };
      }
      if (decision.kind === 'unauthorized')
        return {
          kind: 'deny',
          type: 'UNAUTHORIZED',
          headers: { 'www-authenticate': wwwAuthenticate(decision.error) },
        };
      if (decision.kind === 'forbidden') return { kind: 'deny', type: 'FORBIDDEN', headers: {} };
      // D-lambda 2.0: `authorizer.jwt`; the 1.0 sample's `authorizer` is `{ claims, scopes }`.
      return { kind: 'allow', v2: { jwt: decision.jwt }, v1: { ...decision.jwt } };
    };
  };
}
