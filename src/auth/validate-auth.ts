import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, Authorizer, Method } from '../config/types.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const LAMBDA_AUTHORIZER_KEYS = [
  'type',
  'function',
  'uri',
  'identitySource',
  'identityValidationExpression',
  'authorizerResultTtlInSeconds',
];
const COGNITO_AUTHORIZER_KEYS = ['type', 'providerARNs', 'identitySource', 'authorizerResultTtlInSeconds'];
const CREDENTIAL_KEYS = ['secretAccessKey', 'userArn', 'sessionToken', 'caller'];
const USER_POOL_KEYS = ['jwks'];

/** `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`, `context.X` (REST identity sources). */
const IDENTITY_SOURCE =
  /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^.\s]+|stageVariables\.[^.\s]+|context\.[\w.]+)$/;
export const COGNITO_POOL_ARN =
  /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/(([a-z0-9-]+)_[A-Za-z0-9]+)$/;

function unknownKeys(value: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

/** The identity sources of an authorizer, split as AWS reads the comma-separated list. */
export function identitySources(authorizer: Authorizer): string[] {
  return (authorizer.identitySource ?? 'method.request.header.Authorization')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Startup checks for `authorizers`, `userPools` and `awsCredentials`, named by field. */
export function validateAuthOptions(options: ApiGatewayOptions): void {
  const authorizers = options.authorizers ?? {};
  if (!isObject(authorizers)) throw new ConfigError('authorizers: must be an object of name → authorizer');
  for (const [name, authorizer] of Object.entries(authorizers)) {
    const where = `authorizers["${name}"]`;
    if (!isObject(authorizer)) throw new ConfigError(`${where}: must be an object`);
    const a = authorizer as unknown as Authorizer;
    if (a.type === 'TOKEN' || a.type === 'REQUEST') {
      unknownKeys(authorizer, LAMBDA_AUTHORIZER_KEYS, where);
      if (a.function === undefined && a.uri === undefined) {
        throw new ConfigError(
          `${where}.function: missing (name a function from "functions", or give a Lambda uri)`,
        );
      }
      if (a.identityValidationExpression !== undefined) {
        if (a.type !== 'TOKEN') {
          throw new ConfigError(
            `${where}.identityValidationExpression: only TOKEN authorizers validate their token`,
          );
        }
        if (typeof a.identityValidationExpression !== 'string') {
          throw new ConfigError(`${where}.identityValidationExpression: must be a regular expression`);
        }
      }
    } else if (a.type === 'COGNITO_USER_POOLS') {
      unknownKeys(authorizer, COGNITO_AUTHORIZER_KEYS, where);
      if (!Array.isArray(a.providerARNs) || a.providerARNs.length === 0) {
        throw new ConfigError(
          `${where}.providerARNs: a list of user pool ARNs (arn:aws:cognito-idp:{region}:{account}:userpool/{poolId})`,
        );
      }
      a.providerARNs.forEach((arn, i) => {
        if (typeof arn !== 'string' || !COGNITO_POOL_ARN.test(arn)) {
          throw new ConfigError(
            `${where}.providerARNs[${i}]: ${JSON.stringify(arn)} is not a user pool ARN (arn:aws:cognito-idp:{region}:{account}:userpool/{poolId})`,
          );
        }
      });
    } else {
      throw new ConfigError(
        `${where}.type: must be TOKEN, REQUEST or COGNITO_USER_POOLS (got ${JSON.stringify((a as { type?: unknown }).type)})`,
      );
    }
    const ttl = a.authorizerResultTtlInSeconds;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= 3600)) {
      throw new ConfigError(`${where}.authorizerResultTtlInSeconds: an integer from 0 to 3600 (default 300)`);
    }
    if (a.identitySource !== undefined && typeof a.identitySource !== 'string') {
      throw new ConfigError(
        `${where}.identitySource: must be a string such as "method.request.header.Authorization"`,
      );
    }
    const sources = identitySources(a);
    for (const source of sources) {
      if (source.startsWith('method.request.path.')) {
        throw new ConfigError(
          `${where}.identitySource: ${source}: a path parameter cannot be an identity source`,
        );
      }
      if (!IDENTITY_SOURCE.test(source)) {
        throw new ConfigError(
          `${where}.identitySource: ${JSON.stringify(source)} is not method.request.header.X, method.request.querystring.X, stageVariables.X or context.X`,
        );
      }
    }
    if (a.type !== 'REQUEST') {
      if (sources.length !== 1 || !sources[0].startsWith('method.request.header.')) {
        throw new ConfigError(
          `${where}.identitySource: a ${a.type} authorizer takes exactly one header (method.request.header.X)`,
        );
      }
    } else if (sources.length === 0 && (ttl ?? 300) > 0) {
      throw new ConfigError(
        `${where}.identitySource: a cached REQUEST authorizer needs at least one identity source`,
      );
    }
  }

  const pools = options.userPools ?? {};
  if (!isObject(pools)) throw new ConfigError('userPools: must be an object of pool id → { jwks }');
  for (const [poolId, pool] of Object.entries(pools)) {
    const where = `userPools["${poolId}"]`;
    if (!isObject(pool)) throw new ConfigError(`${where}: must be an object with jwks`);
    unknownKeys(pool, USER_POOL_KEYS, where);
    const jwks = pool.jwks;
    const okObject = isObject(jwks) && Array.isArray(jwks.keys);
    if (!okObject && typeof jwks !== 'string') {
      throw new ConfigError(
        `${where}.jwks: a JWKS object ({ keys: [...] }), a path to a JSON file, or an https URL`,
      );
    }
  }

  const policy = options.resourcePolicy;
  if (policy !== undefined && typeof policy !== 'string' && !isObject(policy)) {
    throw new ConfigError('resourcePolicy: an IAM policy document (object or JSON text)');
  }
  const policyContext = options.resourcePolicyContext ?? {};
  if (!isObject(policyContext)) {
    throw new ConfigError('resourcePolicyContext: must be an object of condition key → value');
  }
  // The document itself is compiled (and refused) with the API's identity, in compileAuthorizers.

  const credentials = options.awsCredentials ?? {};
  if (!isObject(credentials))
    throw new ConfigError('awsCredentials: must be an object of access key id → credential');
  for (const [accessKeyId, credential] of Object.entries(credentials)) {
    const where = `awsCredentials["${accessKeyId}"]`;
    // Any id a SigV4 Credential can carry: AWS's own test suite signs with AKIDEXAMPLE, local stacks with `test`.
    if (!/^[^\s/]+$/.test(accessKeyId)) {
      throw new ConfigError(
        `${where}: not an access key id: it must be non-empty, without '/' or whitespace, as in a SigV4 Credential (e.g. AKIAIOSFODNN7EXAMPLE)`,
      );
    }
    if (!isObject(credential)) throw new ConfigError(`${where}: must be an object`);
    unknownKeys(credential, CREDENTIAL_KEYS, where);
    if (typeof credential.secretAccessKey !== 'string' || credential.secretAccessKey === '') {
      throw new ConfigError(`${where}.secretAccessKey: missing`);
    }
    if (
      typeof credential.userArn !== 'string' ||
      !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+/.test(credential.userArn)
    ) {
      throw new ConfigError(
        `${where}.userArn: an IAM user or assumed-role ARN (arn:aws:iam::{account}:user/{name})`,
      );
    }
  }
}

/** A method's guard fields: the authorizer it names exists and fits its authorizationType. */
export function validateMethodAuth(method: Method, route: string, options: ApiGatewayOptions): void {
  const type = method.authorizationType ?? 'NONE';
  const authorizers = options.authorizers ?? {};
  if (method.authorizationScopes !== undefined) {
    if (
      !Array.isArray(method.authorizationScopes) ||
      method.authorizationScopes.some((s) => typeof s !== 'string')
    ) {
      throw new ConfigError(`${route}: authorizationScopes: must be a list of scope names`);
    }
    if (type !== 'COGNITO_USER_POOLS') {
      throw new ConfigError(`${route}: authorizationScopes: only COGNITO_USER_POOLS methods take scopes`);
    }
  }
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    if (method.authorizer === undefined) {
      throw new ConfigError(
        `${route}: authorizer: missing (authorizationType ${type} names an entry of "authorizers")`,
      );
    }
    if (!Object.hasOwn(authorizers, method.authorizer)) {
      const known = Object.keys(authorizers);
      throw new ConfigError(
        `${route}: authorizer: unknown authorizer "${method.authorizer}" (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
    const authorizer = authorizers[method.authorizer];
    const cognito = authorizer.type === 'COGNITO_USER_POOLS';
    if (cognito !== (type === 'COGNITO_USER_POOLS')) {
      throw new ConfigError(
        `${route}: authorizer: "${method.authorizer}" is a ${authorizer.type} authorizer, which authorizationType ${type} cannot use`,
      );
    }
  } else if (method.authorizer !== undefined) {
    throw new ConfigError(
      `${route}: authorizer: only CUSTOM and COGNITO_USER_POOLS methods use an authorizer`,
    );
  }
}
