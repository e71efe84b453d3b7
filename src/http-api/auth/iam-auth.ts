import type { GuardContext } from '../../auth/guard.js';
import { createIamGuard } from '../../auth/iam.js';
import type { ApiGatewayOptions, Logger } from '../../config/types.js';
import type { GatewayRequest } from '../../http/gateway-request.js';
import { GatewayError } from '../../responses/gateway-error.js';
import type { HttpApiIdentity, HttpApiRequest } from '../to-event-v2.js';

/** The signer, as `requestContext.authorizer.iam` names it (D-lambda; aws-lambda-go apigw-v2-request-iam.json). */
export type IamAuthorizerContext = Record<string, string | null>;

/**
 * AWS_IAM on an HTTP API: the REST SigV4 check (src/auth/iam.ts) over the request as sent, stage
 * included. Undefined from the returned check means refused (D-iam; the answer is UNCONFIRMED).
 */
export function compileIamAuth(
  where: string,
  awsCredentials: ApiGatewayOptions['awsCredentials'],
  identity: HttpApiIdentity,
  clock: () => number,
  logger: Logger,
): (request: HttpApiRequest) => Promise<IamAuthorizerContext | undefined> {
  const ctx = {
    options: { awsCredentials },
    functions: new Map(),
    identity: {
      region: identity.region,
      accountId: identity.accountId,
      restApiId: identity.apiId,
      stage: identity.stage,
    },
    logger,
    now: clock,
  } as unknown as GuardContext;
  const guard = createIamGuard(where, ctx);
  return async (request) => {
    const rawHeaders: string[] = [];
    for (const [name, values] of request.signedHeaders ?? [])
      for (const value of values) rawHeaders.push(name, value);
    // Only what the SigV4 check reads (sigv4.ts toSignedRequest).
    const gatewayRequest = {
      httpMethod: request.method,
      requestPath: request.signedPath ?? request.rawPath,
      rawQuery: request.rawQueryString,
      rawHeaders,
      headers: { multiValueHeaders: {} },
      body: request.body,
    } as unknown as GatewayRequest;
    const result = await guard.authorize(gatewayRequest, undefined as never, undefined as never);
    if (result instanceof GatewayError) return undefined;
    const id = result.identity as Record<string, string | null | undefined>;
    return {
      accessKey: id.accessKey ?? null,
      accountId: id.accountId ?? null,
      callerId: id.caller ?? null,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: id.userArn ?? null,
      userId: id.user ?? null,
    };
  };
}
