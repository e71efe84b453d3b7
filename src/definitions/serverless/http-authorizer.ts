import { ConfigError } from '../../config/config-error.js';
import type { AuthorizationType, Authorizer } from '../../config/types.js';

// serverless/serverless v3 (19128fad) lib/plugins/aws/package/compile/events/api-gateway/lib/
// validate.js `getAuthorizer`, authorizers.js, method/authorization.js; lib/plugins/aws/lib/naming.js.

const COGNITO_ARN = /^arn:[a-zA-Z-]*:cognito-idp/;
const LAMBDA_ARN = /^arn:(aws[a-z-]*):lambda:([^:]*):([^:]*):function:([^:]+)(?::([^:]+))?$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the service knows of its own functions, to find an authorizer's. */
export interface ServiceFunctions {
  /** serverless.yml key → the deployed function name (`name`, else `<service>-<stage>-<key>`). */
  deployedNames: Map<string, string>;
  region: string;
}

/** The method's side of an `authorizer`, and the authorizer to declare (unless AWS_IAM). */
export interface MethodAuthorization {
  authorizationType: AuthorizationType;
  authorizer?: { name: string; definition: Authorizer };
  authorizationScopes?: string[];
  /** `claims` the default lambda template copies into `cognitoPoolClaims`. */
  claims: unknown[];
  unsupported?: string;
}

/** naming.js `extractAuthorizerNameFromArn`: the ARN's last `:` part, after its last `-`. */
export function authorizerNameFromArn(arn: string): string {
  const parts = arn.split(':');
  const names = parts[parts.length - 1].split('-');
  return names[names.length - 1];
}

/** naming.js `getNormalizedFunctionName`. */
export function normalizedFunctionName(name: string): string {
  const replaced = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return replaced.charAt(0).toUpperCase() + replaced.slice(1);
}

/** A Lambda ARN (or `Fn::GetAtt [<Fn>LambdaFunction, Arn]`) → a function of this service, or an invocation URI. */
function lambdaTarget(
  arn: unknown,
  functions: ServiceFunctions,
  where: string,
): { function: string } | { uri: string } | undefined {
  if (isRecord(arn) && Array.isArray(arn['Fn::GetAtt'])) {
    const [logicalId] = arn['Fn::GetAtt'] as string[];
    for (const key of functions.deployedNames.keys()) {
      if (`${normalizedFunctionName(key)}LambdaFunction` === logicalId) return { function: key };
    }
    return undefined;
  }
  if (typeof arn !== 'string') return undefined;
  const match = LAMBDA_ARN.exec(arn);
  if (!match) throw new ConfigError(`${where}: "${arn}" is not a Lambda function ARN`);
  for (const [key, deployed] of functions.deployedNames) {
    if (deployed === match[4]) return { function: key };
  }
  return {
    uri: `arn:${match[1]}:apigateway:${match[2] || functions.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
  };
}

/**
 * An event's `authorizer`: a function of the service by name, a Lambda or Cognito user-pool ARN,
 * `aws_iam`, or the object form (`name`/`arn`, `type`, `resultTtlInSeconds` (default 300),
 * `identitySource` (default the Authorization header), `identityValidationExpression`, `claims`, `scopes`).
 */
export function httpAuthorization(
  authorizer: unknown,
  isProxy: boolean,
  functions: ServiceFunctions,
  where: string,
): MethodAuthorization {
  let type: string | undefined;
  let name: string | undefined;
  let arn: unknown;
  let functionName: string | undefined;
  let ttl = 300;
  let identitySource: string | undefined;
  let identityValidationExpression: string | undefined;
  let claims: unknown[] = [];
  let scopes: string[] | undefined;
  if (typeof authorizer === 'string') {
    if (authorizer.toUpperCase() === 'AWS_IAM') return { authorizationType: 'AWS_IAM', claims };
    if (!authorizer.includes(':')) functionName = name = authorizer;
    else {
      arn = authorizer;
      name = authorizerNameFromArn(authorizer);
    }
  } else if (isRecord(authorizer)) {
    type = typeof authorizer.type === 'string' ? authorizer.type : undefined;
    if (type !== undefined && authorizer.authorizerId !== undefined) {
      return {
        authorizationType: 'NONE',
        claims,
        unsupported: `${where}.authorizerId: an authorizer created outside the service is not known here; the method is left without one`,
      };
    }
    if (type?.toUpperCase() === 'AWS_IAM') return { authorizationType: 'AWS_IAM', claims };
    if (authorizer.arn !== undefined) {
      arn = authorizer.arn;
      if (typeof authorizer.name === 'string') name = authorizer.name;
      else if (typeof arn === 'string') name = authorizerNameFromArn(arn);
      else throw new ConfigError(`${where}.name: required when arn is not a string`);
    } else if (typeof authorizer.name === 'string') {
      functionName = name = authorizer.name;
    } else {
      throw new ConfigError(`${where}: give either an authorizer name or arn`);
    }
    const parsedTtl = Number.parseInt(String(authorizer.resultTtlInSeconds), 10);
    ttl = Number.isNaN(parsedTtl) ? 300 : parsedTtl;
    claims = Array.isArray(authorizer.claims) ? authorizer.claims : [];
    scopes = Array.isArray(authorizer.scopes) ? (authorizer.scopes as string[]) : undefined;
    identitySource = authorizer.identitySource as string | undefined;
    identityValidationExpression = authorizer.identityValidationExpression as string | undefined;
  } else {
    throw new ConfigError(`${where}: must be a function name, an ARN or { name | arn, type, … }`);
  }

  if (!identitySource && !(type?.toUpperCase() === 'REQUEST' && ttl === 0)) {
    identitySource = 'method.request.header.Authorization';
  }
  const cognito =
    type?.toUpperCase() === 'COGNITO_USER_POOLS' || (typeof arn === 'string' && COGNITO_ARN.test(arn));
  if (cognito) {
    if (isProxy && typeof arn === 'string' && COGNITO_ARN.test(arn) && claims.length > 0) {
      throw new ConfigError(
        `${where}.claims: Cognito claims can only be filtered when using the lambda integration type`,
      );
    }
    if (typeof arn !== 'string') {
      return {
        authorizationType: 'NONE',
        claims,
        unsupported: `${where}.arn: a user pool given as a CloudFormation reference is not resolved; the method is left without an authorizer`,
      };
    }
    const definition: Authorizer = {
      type: 'COGNITO_USER_POOLS',
      providerARNs: [arn],
      authorizerResultTtlInSeconds: ttl,
      ...(identitySource ? { identitySource } : {}),
    };
    return {
      authorizationType: 'COGNITO_USER_POOLS',
      authorizer: { name: name as string, definition },
      ...(scopes && scopes.length > 0 ? { authorizationScopes: scopes } : {}),
      claims,
    };
  }

  let target: { function: string } | { uri: string } | undefined;
  if (functionName !== undefined) {
    if (!functions.deployedNames.has(functionName)) {
      throw new ConfigError(`${where}: function "${functionName}" doesn't exist in this service`);
    }
    target = { function: functionName };
  } else target = lambdaTarget(arn, functions, `${where}${isRecord(authorizer) ? '.arn' : ''}`);
  if (target === undefined) {
    return {
      authorizationType: 'NONE',
      claims,
      unsupported: `${where}.arn: ${JSON.stringify(arn)} names no function of this service; the method is left without an authorizer`,
    };
  }
  const authorizerType = type ? type.toUpperCase() : 'TOKEN';
  if (authorizerType !== 'TOKEN' && authorizerType !== 'REQUEST') {
    throw new ConfigError(`${where}.type: "${type}" (token, request, COGNITO_USER_POOLS or aws_iam)`);
  }
  const definition: Authorizer = {
    type: authorizerType,
    ...target,
    authorizerResultTtlInSeconds: ttl,
    ...(identitySource ? { identitySource } : {}),
    ...(typeof identityValidationExpression === 'string' ? { identityValidationExpression } : {}),
  };
  return { authorizationType: 'CUSTOM', authorizer: { name: name as string, definition }, claims };
}
