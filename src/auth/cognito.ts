import { ConfigError } from '../config/config-error.js';
import type { CognitoAuthorizer } from '../config/types.js';
import type { GuardContext } from './compile-guard.js';
import type { MethodGuard } from './guard.js';

/** A Cognito user-pool authorizer, compiled once: its pools' keys and its result cache. */
export interface CognitoAuthorizerRuntime {
  /** The guard of one method; `scopes` are the method's authorizationScopes. */
  guard(route: string, scopes: string[]): MethodGuard;
}

export function createCognitoAuthorizer(
  name: string,
  _config: CognitoAuthorizer,
  _ctx: GuardContext,
): CognitoAuthorizerRuntime {
  throw new ConfigError(`authorizers["${name}"]: COGNITO_USER_POOLS authorizers are not available yet`);
}
