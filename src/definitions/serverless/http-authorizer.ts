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
  /** Logical ids of the `AWS::Cognito::UserPool`s in the file's `resources`. */
  userPools: Set<string>;
  /** `Fn::ImportValue` export name → value, as the user maps them. */
  importValues: Record<string, string>;
}

/** The method's side of an `authorizer`, and the authorizer to declare (unless AWS_IAM). */
export interface MethodAuthorization {
  authorizationType: AuthorizationType;
  authorizer?: { name: string; definition: Authorizer };
  authorizationScopes?: string[];
  /** `claims` the default lambda template copies into `cognitoPoolClaims`. */
  claims: unknown[];
  /** A guard the method cannot have here: the method is left without an authorizer (NONE). */
  unenforced?: string;
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

/** A Lambda ARN → a function of this service (by its deployed name), or an invocation URI. */
function lambdaTarget(
  arn: string,
  functions: ServiceFunctions,
  where: string,
): { function: string } | { uri: string } {
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
 * An `arn` written as a CloudFormation function: `Fn::GetAtt [<Pool>, Arn]` of a user pool in the
 * file's `resources` (its ARN as the template importer makes it: pool id `{region}_{LogicalId}`),
 * `Fn::GetAtt [<Fn>LambdaFunction, Arn]` of a service function, or `Fn::ImportValue` the user
 * maps in `importValues`; anything else cannot be known here.
 */
function resolveArnReference(
  arn: Record<string, unknown>,
  functions: ServiceFunctions,
): { arn: string } | { function: string } | { unresolved: string } {
  const imported = arn['Fn::ImportValue'];
  if (Object.keys(arn).length === 1 && typeof imported === 'string') {
    if (Object.hasOwn(functions.importValues, imported)) return { arn: functions.importValues[imported] };
    return {
      unresolved: `Fn::ImportValue "${imported}" (another stack's export, unknown here; give its value in importValues)`,
    };
  }
  const getAtt = arn['Fn::GetAtt'];
  if (Object.keys(arn).length === 1 && (typeof getAtt === 'string' || Array.isArray(getAtt))) {
    const [id, attribute] = typeof getAtt === 'string' ? getAtt.split(/\.(.*)/s) : getAtt;
    if (attribute === 'Arn' && typeof id === 'string') {
      if (functions.userPools.has(id)) {
        const region = functions.region;
        const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws';
        return { arn: `arn:${partition}:cognito-idp:${region}:123456789012:userpool/${region}_${id}` };
      }
      for (const key of functions.deployedNames.keys()) {
        if (`${normalizedFunctionName(key)}LambdaFunction` === id) return { function: key };
      }
    }
    return {
      unresolved: `Fn::GetAtt ${JSON.stringify(getAtt)} (names no AWS::Cognito::UserPool in resources nor function of this service)`,
    };
  }
  return { unresolved: `${JSON.stringify(arn)} (a CloudFormation reference not resolved here)` };
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
  legacyIdentitySource = false,
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
        unenforced: `${where}.authorizerId: ${JSON.stringify(authorizer.authorizerId)} (an authorizer created outside the service, unknown here)`,
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

  // v1/v2 default every authorizer to the Authorization header; v3 leaves an uncached REQUEST one without
  const defaulted = legacyIdentitySource
    ? identitySource === undefined
    : !identitySource && !(type?.toUpperCase() === 'REQUEST' && ttl === 0);
  if (defaulted) identitySource = 'method.request.header.Authorization';
  const arnWhere = `${where}${isRecord(authorizer) ? '.arn' : ''}`;
  let resolved: { arn: string } | { function: string } | { unresolved: string } | undefined;
  if (typeof arn === 'string') resolved = { arn };
  else if (isRecord(arn)) resolved = resolveArnReference(arn, functions);
  else if (arn !== undefined) resolved = { unresolved: `${JSON.stringify(arn)} (not an ARN)` };
  if (resolved !== undefined && 'unresolved' in resolved) {
    return { authorizationType: 'NONE', claims, unenforced: `${arnWhere}: ${resolved.unresolved}` };
  }
  const arnText = resolved !== undefined && 'arn' in resolved ? resolved.arn : undefined;
  const cognito =
    type?.toUpperCase() === 'COGNITO_USER_POOLS' || (arnText !== undefined && COGNITO_ARN.test(arnText));
  if (cognito) {
    if (isProxy && typeof arn === 'string' && COGNITO_ARN.test(arn) && claims.length > 0) {
      throw new ConfigError(
        `${where}.claims: Cognito claims can only be filtered when using the lambda integration type`,
      );
    }
    if (arnText === undefined || !COGNITO_ARN.test(arnText)) {
      throw new ConfigError(`${arnWhere}: a COGNITO_USER_POOLS authorizer takes a user pool ARN`);
    }
    const definition: Authorizer = {
      type: 'COGNITO_USER_POOLS',
      providerARNs: [arnText],
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

  let target: { function: string } | { uri: string };
  if (functionName !== undefined) {
    if (!functions.deployedNames.has(functionName)) {
      throw new ConfigError(`${where}: function "${functionName}" doesn't exist in this service`);
    }
    target = { function: functionName };
  } else if (resolved !== undefined && 'function' in resolved) target = resolved;
  else target = lambdaTarget(arnText as string, functions, arnWhere);
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
