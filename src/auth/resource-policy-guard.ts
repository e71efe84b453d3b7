import type { AuthorizationType } from '../config/types.js';
import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import type { ApiRuntime } from '../integrations/compiled-integration.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { PolicyDecision } from './evaluate-policy.js';
import type { MethodGuard, RequestAuth } from './guard.js';
import { methodArnOf } from './lambda-authorizer.js';
import { ANONYMOUS, type PolicyCaller, type ResourcePolicy } from './resource-policy.js';

/**
 * AWS's answer when the resource policy refuses: 403 AccessDeniedException (ACCESS_DENIED), body
 * `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: <arn>"}`
 * with the account id masked but for its last four digits (captured: ASFHyP3/hyp3#2283,
 * serverless/serverless#5071), and " with an explicit deny" for a Deny (KC-403, IAM's wording).
 */
export function resourcePolicyDenied(
  user: string,
  methodArn: string,
  api: ApiIdentity,
  decision: PolicyDecision,
): GatewayError {
  const prefix = `arn:aws:execute-api:${api.region}:${api.accountId}:`;
  const shown = methodArn.startsWith(prefix)
    ? `arn:aws:execute-api:${api.region}:********${api.accountId.slice(-4)}:${methodArn.slice(prefix.length)}`
    : methodArn;
  const tail = decision === 'explicit-deny' ? ' with an explicit deny' : '';
  return new GatewayError('ACCESS_DENIED', {
    message: `User: ${user} is not authorized to perform: execute-api:Invoke on resource: ${shown}${tail}`,
  });
}

/** The signer of an AWS_IAM request, from the identity the IAM guard let in. */
function signerOf(auth: RequestAuth): PolicyCaller | undefined {
  const identity = auth.identity;
  const arn = identity?.userArn;
  const accountId = identity?.accountId;
  if (typeof arn !== 'string' || typeof accountId !== 'string') return undefined;
  return { kind: 'iam', arn, accountId, userId: identity?.caller ?? '' };
}

/**
 * A method's guard with the API's resource policy, combined as API Gateway's authorization flow
 * does (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html):
 * - NONE: the policy alone; an explicit Allow is needed.
 * - CUSTOM: an explicit Deny refuses before the authorizer is called; otherwise the authorizer's
 *   policy and the resource policy together (Table A): either Allow lets in, any Deny refuses
 *   (the authorizer's own "neither" is rescued by a resource-policy Allow inside its guard).
 * - AWS_IAM: after the signature; same account as the API: Table A, where the signer's own IAM
 *   policy counts as Allow (awsCredentials grant invoke), so only a Deny refuses; another
 *   account: Table B, the resource policy must Allow.
 * - COGNITO_USER_POOLS: after the token; the policy is evaluated on its own and must Allow.
 */
export class ResourcePolicyGuard implements MethodGuard {
  constructor(
    private readonly type: AuthorizationType,
    private readonly policy: ResourcePolicy,
    private readonly inner: MethodGuard | undefined,
  ) {}

  /** The wrapped guard's: a SigV4 signature over the payload still needs the body first. */
  readsBody(req: GatewayRequest): boolean {
    return this.inner?.readsBody?.(req) === true;
  }

  /** The policy's decision for an anonymous caller (Lambda authorizer and Cognito callers are anonymous to IAM). */
  decideAnonymous(req: GatewayRequest, api: ApiRuntime): PolicyDecision {
    return this.policy.evaluate({
      methodArn: methodArnOf(req, api.identity),
      request: req,
      caller: ANONYMOUS,
      now: api.now(),
    });
  }

  async authorize(
    req: GatewayRequest,
    route: RouteMatch,
    api: ApiRuntime,
  ): Promise<RequestAuth | GatewayError> {
    const methodArn = methodArnOf(req, api.identity);
    switch (this.type) {
      case 'AWS_IAM':
        return this.authorizeSigned(req, route, api, methodArn);
      case 'CUSTOM': {
        const decision = this.decide(req, api, methodArn, ANONYMOUS);
        if (decision === 'explicit-deny')
          return resourcePolicyDenied('anonymous', methodArn, api.identity, decision);
        return (this.inner as MethodGuard).authorize(req, route, api);
      }
      case 'COGNITO_USER_POOLS': {
        const auth = await (this.inner as MethodGuard).authorize(req, route, api);
        if (auth instanceof GatewayError) return auth;
        const decision = this.decide(req, api, methodArn, ANONYMOUS);
        return decision === 'allow'
          ? auth
          : resourcePolicyDenied('anonymous', methodArn, api.identity, decision);
      }
      default: {
        const decision = this.decide(req, api, methodArn, ANONYMOUS);
        return decision === 'allow'
          ? {}
          : resourcePolicyDenied('anonymous', methodArn, api.identity, decision);
      }
    }
  }

  private decide(
    req: GatewayRequest,
    api: ApiRuntime,
    methodArn: string,
    caller: PolicyCaller,
  ): PolicyDecision {
    return this.policy.evaluate({ methodArn, request: req, caller, now: api.now() });
  }

  private async authorizeSigned(
    req: GatewayRequest,
    route: RouteMatch,
    api: ApiRuntime,
    methodArn: string,
  ): Promise<RequestAuth | GatewayError> {
    const auth = await (this.inner as MethodGuard).authorize(req, route, api);
    if (auth instanceof GatewayError) return auth;
    const signer = signerOf(auth);
    // Fails closed: a signer we cannot name is not let past a resource policy.
    if (signer === undefined || signer.kind !== 'iam') {
      return resourcePolicyDenied('anonymous', methodArn, api.identity, 'implicit-deny');
    }
    const decision = this.decide(req, api, methodArn, signer);
    const sameAccount = signer.accountId === api.identity.accountId;
    if (decision === 'explicit-deny' || (!sameAccount && decision !== 'allow')) {
      return resourcePolicyDenied(signer.arn, methodArn, api.identity, decision);
    }
    return auth;
  }
}
