import { ConfigError } from '../../config/config-error.js';
import type { UserPoolKeys } from '../../config/types.js';
import type { HttpAuthorizer, HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpRoute } from '../types.js';

/** A route's guard as `httpApi()` options spell it. */
export type HttpRouteAuth = Pick<HttpRoute, 'authorizer' | 'authorizationScopes' | 'authorizationType'>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `arn:…:function:NAME[:alias]`, bare or inside an apigateway invocation URI → NAME. */
function functionName(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  return /:function:([^:/]+)/.exec(uri)?.[1];
}

function strings(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  throw new ConfigError(`${where}: a list of strings (got ${JSON.stringify(value)})`);
}

function version(value: unknown, where: string): '1.0' | '2.0' {
  const v = typeof value === 'number' ? value.toFixed(1) : value;
  if (v !== '1.0' && v !== '2.0')
    throw new ConfigError(`${where}: "1.0" or "2.0" (got ${JSON.stringify(value)})`);
  return v;
}

function ttl(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number')
    throw new ConfigError(`${where}: seconds, 0 to 3600 (got ${JSON.stringify(value)})`);
  return n;
}

function bool(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(`${where}: true or false (got ${JSON.stringify(value)})`);
}

// ---------------------------------------------------------------------------------------------
// SAM AWS::Serverless::HttpApi `Auth`

/** What SAM's `Auth` declares for one HTTP API. */
export interface SamHttpAuth {
  authorizers: Record<string, HttpAuthorizer>;
  /** Scopes an OAuth2 authorizer gives the routes that name it without their own. */
  defaultScopes: Record<string, string[]>;
  defaultAuthorizer?: string;
  iam: boolean;
}

/**
 * SAM's rules (samtranslator/model/apigatewayv2.py, ApiGatewayV2Authorizer): `EnableIamAuthorizer`
 * adds `AWS_IAM`; an authorizer with `JwtConfiguration` is OAuth2 (JWT; its keys are lower-cased,
 * `IdentitySource` required); any other is a Lambda authorizer (`FunctionArn` and
 * `AuthorizerPayloadFormatVersion` required; `Identity` lists become the identity sources and
 * `ReauthorizeEvery` the cache TTL).
 */
export function readSamHttpAuth(auth: unknown, where: string): SamHttpAuth {
  const out: SamHttpAuth = { authorizers: {}, defaultScopes: {}, iam: false };
  if (auth === undefined) return out;
  if (!isObject(auth))
    throw new ConfigError(`${where}: a map { Authorizers, DefaultAuthorizer, EnableIamAuthorizer }`);
  out.iam = bool(auth.EnableIamAuthorizer, `${where}.EnableIamAuthorizer`) === true;
  const authorizers = auth.Authorizers ?? {};
  if (!isObject(authorizers)) throw new ConfigError(`${where}.Authorizers: a map of name → authorizer`);
  for (const [name, a] of Object.entries(authorizers)) {
    const at = `${where}.Authorizers.${name}`;
    if (!isObject(a)) throw new ConfigError(`${at}: a map`);
    if (a.JwtConfiguration !== undefined) {
      for (const key of [
        'FunctionArn',
        'Identity',
        'AuthorizerPayloadFormatVersion',
        'EnableSimpleResponses',
      ])
        if (a[key] !== undefined)
          throw new ConfigError(
            `${at}.${key}: only for a Lambda authorizer, not beside JwtConfiguration (SAM refuses it)`,
          );
      if (!isObject(a.JwtConfiguration))
        throw new ConfigError(`${at}.JwtConfiguration: a map { issuer, audience }`);
      // SAM lower-cases the keys: `Issuer` and `issuer` both work.
      const jwt = Object.fromEntries(
        Object.entries(a.JwtConfiguration).map(([k, v]) => [k.toLowerCase(), v]),
      );
      if (typeof jwt.issuer !== 'string') throw new ConfigError(`${at}.JwtConfiguration.issuer: missing`);
      if (typeof a.IdentitySource !== 'string')
        throw new ConfigError(
          `${at}.IdentitySource: an OAuth2 authorizer needs one ("$request.header.Authorization")`,
        );
      out.authorizers[name] = {
        type: 'JWT',
        identitySource: a.IdentitySource,
        issuer: jwt.issuer,
        audience: strings(jwt.audience ?? [], `${at}.JwtConfiguration.audience`),
      };
      if (a.AuthorizationScopes !== undefined)
        out.defaultScopes[name] = strings(a.AuthorizationScopes, `${at}.AuthorizationScopes`);
      continue;
    }
    if (a.AuthorizationScopes !== undefined)
      throw new ConfigError(`${at}.AuthorizationScopes: only for an OAuth2 authorizer (SAM refuses it)`);
    const fn = functionName(a.FunctionArn);
    if (fn === undefined)
      throw new ConfigError(
        `${at}.FunctionArn: a Lambda authorizer needs a function's ARN (got ${JSON.stringify(a.FunctionArn)})`,
      );
    // FunctionPayloadType belongs to REST APIs; an HTTP API's Lambda authorizer is always REQUEST.
    if (a.FunctionPayloadType !== undefined && a.FunctionPayloadType !== 'REQUEST')
      throw new ConfigError(`${at}.FunctionPayloadType: HTTP APIs have REQUEST authorizers only`);
    const lambda: HttpLambdaAuthorizer = {
      type: 'REQUEST',
      function: fn,
      authorizerPayloadFormatVersion: version(
        a.AuthorizerPayloadFormatVersion,
        `${at}.AuthorizerPayloadFormatVersion`,
      ),
    };
    const simple = bool(a.EnableSimpleResponses, `${at}.EnableSimpleResponses`);
    if (simple !== undefined) lambda.enableSimpleResponses = simple;
    if (a.Identity !== undefined) {
      if (!isObject(a.Identity)) throw new ConfigError(`${at}.Identity: a map`);
      const sources: string[] = [];
      for (const [prefix, key] of [
        ['$request.header.', 'Headers'],
        ['$request.querystring.', 'QueryStrings'],
        ['$stageVariables.', 'StageVariables'],
        ['$context.', 'Context'],
      ] as const) {
        if (a.Identity[key] !== undefined)
          sources.push(...strings(a.Identity[key], `${at}.Identity.${key}`).map((s) => prefix + s));
      }
      lambda.identitySource = sources;
      const every = ttl(a.Identity.ReauthorizeEvery, `${at}.Identity.ReauthorizeEvery`);
      if (every !== undefined) lambda.authorizerResultTtlInSeconds = every;
    }
    out.authorizers[name] = lambda;
  }
  if (auth.DefaultAuthorizer !== undefined) {
    const name = auth.DefaultAuthorizer;
    if (typeof name !== 'string' || !known(out, name))
      throw new ConfigError(
        `${where}.DefaultAuthorizer: ${JSON.stringify(name)} is not in Authorizers${name === 'AWS_IAM' ? ' (set EnableIamAuthorizer)' : ''}`,
      );
    out.defaultAuthorizer = name;
  }
  return out;
}

const known = (auth: SamHttpAuth, name: string) =>
  Object.hasOwn(auth.authorizers, name) || (name === 'AWS_IAM' && auth.iam);

/**
 * One SAM `HttpApi` event's guard (samtranslator/model/eventsources/push.py HttpApi and
 * open_api/open_api.py): its `Auth.Authorizer` (scopes: the event's, else the authorizer's);
 * an `Auth` without `Authorizer` takes the `DefaultAuthorizer` with the event's scopes; `NONE`
 * opens the route (only beside a `DefaultAuthorizer`, as SAM says); `AWS_IAM` needs
 * `EnableIamAuthorizer`. Without `Auth`, the `DefaultAuthorizer` guards every route but `OPTIONS`.
 */
export function samRouteAuth(
  api: SamHttpAuth,
  eventAuth: unknown,
  routeKey: string,
  where: string,
): HttpRouteAuth {
  if (eventAuth !== undefined && !isObject(eventAuth))
    throw new ConfigError(`${where}: a map { Authorizer, AuthorizationScopes }`);
  let name: unknown;
  let scopes: string[] | undefined;
  if (eventAuth !== undefined) {
    name = eventAuth.Authorizer ?? api.defaultAuthorizer;
    if (name === undefined)
      throw new ConfigError(
        `${where}.Authorizer: missing, and the API has no DefaultAuthorizer (SAM refuses it)`,
      );
    if (typeof name !== 'string') throw new ConfigError(`${where}.Authorizer: a name`);
    if (name === 'NONE') {
      if (api.defaultAuthorizer === undefined)
        throw new ConfigError(
          `${where}.Authorizer: NONE only means something beside a DefaultAuthorizer (SAM refuses it)`,
        );
      return {};
    }
    if (!known(api, name))
      throw new ConfigError(
        `${where}.Authorizer: "${name}" is not in the API's Auth.Authorizers${name === 'AWS_IAM' ? ' (set EnableIamAuthorizer)' : ''}`,
      );
    if (eventAuth.AuthorizationScopes !== undefined)
      scopes = strings(eventAuth.AuthorizationScopes, `${where}.AuthorizationScopes`);
  } else if (api.defaultAuthorizer !== undefined && !routeKey.startsWith('OPTIONS ')) {
    name = api.defaultAuthorizer;
  }
  if (typeof name !== 'string') return {};
  if (name === 'AWS_IAM' && !Object.hasOwn(api.authorizers, name)) return { authorizationType: 'AWS_IAM' };
  const use = scopes?.length ? scopes : api.defaultScopes[name];
  if (use?.length && api.authorizers[name].type !== 'JWT')
    throw new ConfigError(`${where}.AuthorizationScopes: only for an OAuth2 (JWT) authorizer`);
  return { authorizer: name, ...(use?.length && { authorizationScopes: use }) };
}

// ---------------------------------------------------------------------------------------------
// CloudFormation AWS::ApiGatewayV2::Authorizer and Route

/**
 * An `AWS::ApiGatewayV2::Authorizer` (CFN-authorizer): JWT from `JwtConfiguration` and its one
 * identity source; REQUEST from the function in `AuthorizerUri` (a function ARN inside the
 * apigateway invocation URI, however cdk synth joins it).
 */
export function readCfnAuthorizer(p: Record<string, unknown>, where: string): HttpAuthorizer {
  if (p.AuthorizerType === 'JWT') {
    const jwt = p.JwtConfiguration;
    if (!isObject(jwt) || typeof jwt.Issuer !== 'string')
      throw new ConfigError(`${where}.JwtConfiguration.Issuer: a JWT authorizer needs one`);
    const sources = strings(p.IdentitySource ?? [], `${where}.IdentitySource`);
    if (sources.length > 1) throw new ConfigError(`${where}.IdentitySource: a JWT authorizer takes one`);
    return {
      type: 'JWT',
      ...(sources[0] !== undefined && { identitySource: sources[0] }),
      issuer: jwt.Issuer,
      audience: strings(jwt.Audience ?? [], `${where}.JwtConfiguration.Audience`),
    } satisfies HttpJwtAuthorizer;
  }
  if (p.AuthorizerType === 'REQUEST') {
    const fn = functionName(p.AuthorizerUri);
    if (fn === undefined)
      throw new ConfigError(
        `${where}.AuthorizerUri: not a Lambda function (got ${JSON.stringify(p.AuthorizerUri)})`,
      );
    const lambda: HttpLambdaAuthorizer = {
      type: 'REQUEST',
      function: fn,
      authorizerPayloadFormatVersion: version(
        p.AuthorizerPayloadFormatVersion,
        `${where}.AuthorizerPayloadFormatVersion`,
      ),
    };
    const simple = bool(p.EnableSimpleResponses, `${where}.EnableSimpleResponses`);
    if (simple !== undefined) lambda.enableSimpleResponses = simple;
    if (p.IdentitySource !== undefined)
      lambda.identitySource = strings(p.IdentitySource, `${where}.IdentitySource`);
    const seconds = ttl(p.AuthorizerResultTtlInSeconds, `${where}.AuthorizerResultTtlInSeconds`);
    if (seconds !== undefined) lambda.authorizerResultTtlInSeconds = seconds;
    return lambda;
  }
  throw new ConfigError(
    `${where}.AuthorizerType: "JWT" or "REQUEST" (got ${JSON.stringify(p.AuthorizerType)})`,
  );
}

/**
 * A Route's `AuthorizationType` (CFN-route: NONE, JWT, AWS_IAM, CUSTOM), `AuthorizerId` (an
 * Authorizer of the same API, of the matching type) and `AuthorizationScopes` (JWT only).
 */
export function cfnRouteAuth(
  p: Record<string, unknown>,
  authorizers: Map<string, { apiId: string; authorizer: HttpAuthorizer }>,
  apiId: string,
  where: string,
): HttpRouteAuth {
  const type = p.AuthorizationType ?? 'NONE';
  // Fail closed: a route naming an authorizer but typed NONE (or untyped) is a mistake, not an open
  // route (CFN keeps a route's old authorizer when both are removed: aws-cloudformation/cloudformation-coverage-roadmap#2184).
  if ((type === 'NONE' || type === 'AWS_IAM') && p.AuthorizerId !== undefined && p.AuthorizerId !== 'NONE')
    throw new ConfigError(
      `${where}.AuthorizerId: ${JSON.stringify(p.AuthorizerId)} with AuthorizationType ${type}${p.AuthorizationType === undefined ? ' (the default)' : ''}; set JWT or CUSTOM, or drop AuthorizerId`,
    );
  if (type === 'NONE') return {};
  if (type === 'AWS_IAM') return { authorizationType: 'AWS_IAM' };
  if (type !== 'JWT' && type !== 'CUSTOM')
    throw new ConfigError(
      `${where}.AuthorizationType: NONE, JWT, AWS_IAM or CUSTOM (got ${JSON.stringify(type)})`,
    );
  if (p.AuthorizerId === undefined)
    throw new ConfigError(`${where}.AuthorizerId: needed with AuthorizationType ${type}`);
  const id = String(p.AuthorizerId);
  const found = authorizers.get(id);
  if (found === undefined || found.apiId !== apiId)
    throw new ConfigError(
      `${where}.AuthorizerId: ${JSON.stringify(p.AuthorizerId)} is no AWS::ApiGatewayV2::Authorizer of this API in the template`,
    );
  const want = type === 'JWT' ? 'JWT' : 'REQUEST';
  if (found.authorizer.type !== want)
    throw new ConfigError(
      `${where}.AuthorizationType: ${type} needs a ${want} authorizer, ${id} is ${found.authorizer.type}`,
    );
  const scopes =
    p.AuthorizationScopes === undefined ? [] : strings(p.AuthorizationScopes, `${where}.AuthorizationScopes`);
  if (scopes.length > 0 && type !== 'JWT')
    throw new ConfigError(`${where}.AuthorizationScopes: JWT routes only`);
  return { authorizer: id, ...(scopes.length > 0 && { authorizationScopes: scopes }) };
}

// ---------------------------------------------------------------------------------------------
// serverless v3 provider.httpApi.authorizers and events' `authorizer`

/**
 * `provider.httpApi.authorizers` (serverless lib/plugins/aws/package/compile/events/http-api.js):
 * `type: jwt` (the default) with `identitySource`, `issuerUrl`, `audience`; `type: request` with
 * `functionName` or `functionArn`, `payloadVersion` (default 2.0), `enableSimpleResponses`,
 * `resultTtlInSeconds`, `identitySource`. Returns the authorizers and the functions they need.
 */
export function readServerlessAuthorizers(
  value: unknown,
  functionKeys: Set<string>,
): { authorizers: Record<string, HttpAuthorizer>; functions: string[] } {
  const authorizers: Record<string, HttpAuthorizer> = {};
  const functions: string[] = [];
  if (value === undefined) return { authorizers, functions };
  if (!isObject(value)) throw new ConfigError('provider.httpApi.authorizers: a map of name → authorizer');
  for (const [name, a] of Object.entries(value)) {
    const at = `provider.httpApi.authorizers.${name}`;
    if (!isObject(a)) throw new ConfigError(`${at}: a map`);
    const type = a.type ?? 'jwt';
    if (type === 'request') {
      if ((a.functionName === undefined) === (a.functionArn === undefined))
        throw new ConfigError(`${at}: functionName or functionArn, one of them`);
      let fn: string | undefined;
      if (a.functionName !== undefined) {
        fn = String(a.functionName);
        if (!functionKeys.has(fn)) throw new ConfigError(`${at}.functionName: "${fn}" is not in functions`);
        functions.push(fn);
      } else {
        fn = functionName(a.functionArn);
        if (fn === undefined)
          throw new ConfigError(
            `${at}.functionArn: a Lambda function ARN (got ${JSON.stringify(a.functionArn)})`,
          );
      }
      const seconds = ttl(a.resultTtlInSeconds, `${at}.resultTtlInSeconds`);
      const lambda: HttpLambdaAuthorizer = {
        type: 'REQUEST',
        function: fn,
        authorizerPayloadFormatVersion: version(a.payloadVersion ?? '2.0', `${at}.payloadVersion`),
        identitySource:
          a.identitySource === undefined ? [] : strings(a.identitySource, `${at}.identitySource`),
      };
      const simple = bool(a.enableSimpleResponses, `${at}.enableSimpleResponses`);
      if (simple !== undefined) lambda.enableSimpleResponses = simple;
      if (seconds !== undefined) lambda.authorizerResultTtlInSeconds = seconds;
      authorizers[name] = lambda;
    } else if (type === 'jwt') {
      if (typeof a.issuerUrl !== 'string') throw new ConfigError(`${at}.issuerUrl: missing`);
      const sources = a.identitySource === undefined ? [] : strings(a.identitySource, `${at}.identitySource`);
      if (sources.length > 1) throw new ConfigError(`${at}.identitySource: a JWT authorizer takes one`);
      authorizers[name] = {
        type: 'JWT',
        ...(sources[0] !== undefined && { identitySource: sources[0] }),
        issuer: a.issuerUrl,
        audience: strings(a.audience ?? [], `${at}.audience`),
      };
    } else throw new ConfigError(`${at}.type: jwt or request (got ${JSON.stringify(type)})`);
  }
  return { authorizers, functions };
}

/** An `httpApi` event's `authorizer`: a name, `{ name, scopes }`, or `{ type: aws_iam }`; `id` (an authorizer outside the service) cannot be honoured. */
export function serverlessRouteAuth(
  value: unknown,
  authorizers: Record<string, HttpAuthorizer>,
  where: string,
): HttpRouteAuth {
  if (value === undefined) return {};
  const a = typeof value === 'string' ? { name: value } : value;
  if (!isObject(a)) throw new ConfigError(`${where}: a name or { name, scopes } or { type: aws_iam }`);
  if (a.id !== undefined)
    throw new ConfigError(
      `${where}.id: an authorizer outside this service cannot be checked here; refusing to serve the route open`,
    );
  if (a.type === 'aws_iam') {
    if (a.name !== undefined || a.scopes !== undefined)
      throw new ConfigError(`${where}: type aws_iam takes no other property`);
    return { authorizationType: 'AWS_IAM' };
  }
  const name = a.name;
  if (typeof name !== 'string' || !Object.hasOwn(authorizers, name))
    throw new ConfigError(`${where}.name: ${JSON.stringify(name)} is not in provider.httpApi.authorizers`);
  const auth = authorizers[name];
  if (a.type !== undefined && a.type !== (auth.type === 'JWT' ? 'jwt' : 'request'))
    throw new ConfigError(
      `${where}.type: ${String(a.type)}, but "${name}" is ${auth.type === 'JWT' ? 'jwt' : 'request'}`,
    );
  const scopes = a.scopes === undefined ? [] : strings(a.scopes, `${where}.scopes`);
  return { authorizer: name, ...(scopes.length > 0 && { authorizationScopes: scopes }) };
}

// ---------------------------------------------------------------------------------------------

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([^/]+)$/;

/**
 * A definition's JWT authorizers name an issuer only; keys come from its OpenID discovery. A
 * Cognito issuer whose pool is in `userPools` takes its keys from there (a test user pool, or a
 * pool's JWKS kept offline), as `apiGateway()` does for Cognito authorizers.
 */
export function withUserPoolKeys(
  authorizers: Record<string, HttpAuthorizer>,
  userPools: Record<string, UserPoolKeys> | undefined,
): Record<string, HttpAuthorizer> {
  if (userPools === undefined) return authorizers;
  return Object.fromEntries(
    Object.entries(authorizers).map(([name, a]) => {
      if (a.type !== 'JWT' || a.jwks !== undefined) return [name, a];
      const pool = COGNITO_ISSUER.exec(a.issuer)?.[1];
      const keys = pool === undefined ? undefined : userPools[pool]?.jwks;
      return [name, keys === undefined ? a : { ...a, jwks: keys }];
    }),
  );
}

/** `userPools` beside a definition: pool id → `{ jwks }`. */
export function validateUserPools(userPools: unknown): void {
  if (userPools === undefined) return;
  if (!isObject(userPools)) throw new ConfigError('userPools: an object of pool id → { jwks }');
  for (const [pool, entry] of Object.entries(userPools)) {
    if (!isObject(entry) || (typeof entry.jwks !== 'string' && !isObject(entry.jwks)))
      throw new ConfigError(`userPools["${pool}"].jwks: a JWKS object, a file path or a URL`);
  }
}
