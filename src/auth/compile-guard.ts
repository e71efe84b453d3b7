import { ConfigError } from '../config/config-error.js';
import type { Integration, Method } from '../config/types.js';
import { integrationFunctionName } from '../config/validate.js';
import { type CognitoAuthorizerRuntime, createCognitoAuthorizer } from './cognito.js';
import type { GuardContext, MethodGuard } from './guard.js';
import { createIamGuard } from './iam.js';
import { LambdaAuthorizerRuntime } from './lambda-authorizer.js';
import { compileResourcePolicy, type ResourcePolicy } from './resource-policy.js';
import { ResourcePolicyGuard } from './resource-policy-guard.js';

/** Each named authorizer compiled once, so its result cache serves every method that names it. */
export interface CompiledAuthorizers {
  lambda: Map<string, LambdaAuthorizerRuntime>;
  cognito: Map<string, CognitoAuthorizerRuntime>;
  /** The API's resource policy, guarding every method when set. */
  resourcePolicy?: ResourcePolicy;
}

export function compileAuthorizers(ctx: GuardContext): CompiledAuthorizers {
  const compiled: CompiledAuthorizers = { lambda: new Map(), cognito: new Map() };
  if (ctx.options.resourcePolicy !== undefined) {
    compiled.resourcePolicy = compileResourcePolicy(ctx.options.resourcePolicy, {
      identity: ctx.identity,
      context: ctx.options.resourcePolicyContext,
      warn: (message) => ctx.logger.warn(message),
    });
  }
  for (const [name, authorizer] of Object.entries(ctx.options.authorizers ?? {})) {
    if (authorizer.type === 'COGNITO_USER_POOLS') {
      compiled.cognito.set(name, createCognitoAuthorizer(name, authorizer, ctx));
      continue;
    }
    const where = `authorizers["${name}"]`;
    const fnName = integrationFunctionName(
      { type: 'AWS', function: authorizer.function, uri: authorizer.uri } as Integration,
      ctx.options.stageVariables ?? {},
    );
    if (fnName === undefined) {
      throw new ConfigError(`${where}.uri: not a Lambda function invocation ARN`);
    }
    const fn = ctx.functions.get(fnName);
    if (fn === undefined) {
      const known = [...ctx.functions.keys()];
      throw new ConfigError(
        `${where}.${authorizer.function !== undefined ? 'function' : 'uri'}: unknown function "${fnName}" (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
    compiled.lambda.set(name, new LambdaAuthorizerRuntime(name, authorizer, fn, ctx));
  }
  return compiled;
}

/**
 * The guard of one method, by its authorizationType, within the API's resource policy when it
 * has one; undefined for NONE without a resource policy.
 */
export function compileGuard(
  route: string,
  method: Method,
  authorizers: CompiledAuthorizers,
  ctx: GuardContext,
): MethodGuard | undefined {
  const type = method.authorizationType ?? 'NONE';
  const policy = authorizers.resourcePolicy;
  if (policy === undefined) return authorizerGuard(route, method, authorizers, ctx);
  if (type !== 'CUSTOM') {
    return new ResourcePolicyGuard(type, policy, authorizerGuard(route, method, authorizers, ctx));
  }
  // The authorizer's "neither allow nor deny" is an Allow when the resource policy allows (Table A).
  const runtime = authorizers.lambda.get(method.authorizer as string) as LambdaAuthorizerRuntime;
  const guard: ResourcePolicyGuard = new ResourcePolicyGuard(
    type,
    policy,
    runtime.guard(route, (req, api) => guard.decideAnonymous(req, api) === 'allow'),
  );
  return guard;
}

function authorizerGuard(
  route: string,
  method: Method,
  authorizers: CompiledAuthorizers,
  ctx: GuardContext,
): MethodGuard | undefined {
  switch (method.authorizationType ?? 'NONE') {
    case 'CUSTOM':
      return (authorizers.lambda.get(method.authorizer as string) as LambdaAuthorizerRuntime).guard(route);
    case 'COGNITO_USER_POOLS':
      return (authorizers.cognito.get(method.authorizer as string) as CognitoAuthorizerRuntime).guard(
        route,
        method.authorizationScopes ?? [],
      );
    case 'AWS_IAM':
      return createIamGuard(route, ctx);
    default:
      return undefined;
  }
}
