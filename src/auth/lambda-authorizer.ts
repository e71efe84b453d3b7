import type { LambdaAuthorizer } from '../config/types.js';
import type { LambdaFunction } from '../lambda/context.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { GuardContext } from './compile-guard.js';
import type { MethodGuard } from './guard.js';

/** A TOKEN or REQUEST Lambda authorizer, compiled once: its function, its identity sources, its result cache. */
export class LambdaAuthorizerRuntime {
  constructor(
    readonly name: string,
    readonly config: LambdaAuthorizer,
    readonly fn: LambdaFunction,
    readonly ctx: GuardContext,
  ) {}

  guard(_route: string): MethodGuard {
    return { authorize: async () => new GatewayError('AUTHORIZER_CONFIGURATION_ERROR') };
  }
}
