import type { HttpApiOptions } from '../types.js';
import { CONTEXT_SOURCES, IDENTITY_SOURCE } from './lambda-authorizer.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const JWT_KEYS = new Set(['type', 'identitySource', 'issuer', 'audience', 'jwks']);
const REQUEST_KEYS = new Set([
  'type',
  'function',
  'authorizerPayloadFormatVersion',
  'enableSimpleResponses',
  'identitySource',
  'authorizerResultTtlInSeconds',
]);

function validateRequestAuthorizer(
  where: string,
  auth: Record<string, unknown>,
  functions: unknown,
  problems: string[],
): void {
  for (const key of Object.keys(auth))
    if (!REQUEST_KEYS.has(key))
      problems.push(`${where}: unknown option "${key}" (known: ${[...REQUEST_KEYS].join(', ')})`);
  if (typeof auth.function !== 'string' || !isObject(functions) || !Object.hasOwn(functions, auth.function))
    problems.push(`${where}.function: ${JSON.stringify(auth.function)} is not in functions`);
  const version = auth.authorizerPayloadFormatVersion;
  if (version !== '1.0' && version !== '2.0')
    problems.push(`${where}.authorizerPayloadFormatVersion: "1.0" or "2.0" (got ${JSON.stringify(version)})`);
  if (auth.enableSimpleResponses !== undefined && typeof auth.enableSimpleResponses !== 'boolean')
    problems.push(`${where}.enableSimpleResponses: true or false`);
  else if (auth.enableSimpleResponses === true && version !== '2.0')
    problems.push(`${where}.enableSimpleResponses: only with authorizerPayloadFormatVersion "2.0"`);
  const sources = auth.identitySource ?? [];
  const known = (s: unknown) =>
    typeof s === 'string' &&
    IDENTITY_SOURCE.test(s) &&
    (!s.startsWith('$context.') || CONTEXT_SOURCES.has(s.slice(9)));
  if (!Array.isArray(sources) || !sources.every(known))
    problems.push(
      `${where}.identitySource: a list of "$request.header.NAME", "$request.querystring.NAME", "$context.NAME" or "$stageVariables.NAME" (got ${JSON.stringify(sources)})`,
    );
  const ttl = auth.authorizerResultTtlInSeconds;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0 && ttl <= 3600))
    problems.push(
      `${where}.authorizerResultTtlInSeconds: an integer from 0 to 3600 (got ${JSON.stringify(ttl)})`,
    );
  // CFN-authorizer: caching needs at least one identity source to key by.
  else if (typeof ttl === 'number' && ttl > 0 && Array.isArray(sources) && sources.length === 0)
    problems.push(
      `${where}.identitySource: needed when authorizerResultTtlInSeconds is above 0 (the cache key)`,
    );
}
const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');

/** CreateAuthorizer's and CreateRoute's refusals for authorizers, naming the field (problems appended). */
export function validateHttpAuthorizers(options: HttpApiOptions, problems: string[]): void {
  const authorizers = (options as { authorizers?: unknown }).authorizers ?? {};
  if (!isObject(authorizers)) {
    problems.push('authorizers: an object of authorizer name → { type, … }');
    return;
  }
  for (const [name, auth] of Object.entries(authorizers)) {
    const where = `authorizers["${name}"]`;
    if (isObject(auth) && auth.type === 'REQUEST') {
      validateRequestAuthorizer(where, auth, options.functions ?? {}, problems);
      continue;
    }
    if (!isObject(auth) || auth.type !== 'JWT') {
      problems.push(
        `${where}.type: "JWT" or "REQUEST" (got ${JSON.stringify(isObject(auth) ? auth.type : auth)})`,
      );
      continue;
    }
    for (const key of Object.keys(auth))
      if (!JWT_KEYS.has(key))
        problems.push(`${where}: unknown option "${key}" (known: ${[...JWT_KEYS].join(', ')})`);
    // An http issuer only on this machine (a local identity provider), as for JWKS URLs.
    if (
      typeof auth.issuer !== 'string' ||
      !/^(https:\/\/.|http:\/\/(localhost|127\.[0-9.]+|\[::1\])(:\d+)?(\/|$))/.test(auth.issuer)
    )
      problems.push(
        `${where}.issuer: an https URL (http only on localhost) (got ${JSON.stringify(auth.issuer)})`,
      );
    // One source, a string: a list would be read as one header named after all of them.
    if (
      auth.identitySource !== undefined &&
      (typeof auth.identitySource !== 'string' ||
        !/^\$request\.(header|querystring)\.[^\s,]+$/.test(auth.identitySource))
    )
      problems.push(
        `${where}.identitySource: one "$request.header.NAME" or "$request.querystring.NAME" (got ${JSON.stringify(auth.identitySource)})`,
      );
    // D-limits: at most 50 audiences.
    if (!isStrings(auth.audience) || auth.audience.length === 0 || auth.audience.length > 50)
      problems.push(`${where}.audience: 1 to 50 non-empty strings (got ${JSON.stringify(auth.audience)})`);
    if (auth.jwks !== undefined && typeof auth.jwks !== 'string' && !isObject(auth.jwks))
      problems.push(`${where}.jwks: a JWKS object, a file path or a URL`);
  }
  if (!isObject(options.routes)) return;
  for (const [routeKey, route] of Object.entries(options.routes)) {
    if (!isObject(route)) continue;
    const where = `routes["${routeKey}"]`;
    const { authorizer, authorizationScopes } = route as Record<string, unknown>;
    if (
      authorizer !== undefined &&
      (typeof authorizer !== 'string' || !Object.hasOwn(authorizers, authorizer))
    )
      problems.push(`${where}.authorizer: ${JSON.stringify(authorizer)} is not in authorizers`);
    const { authorizationType } = route as Record<string, unknown>;
    if (authorizationType !== undefined && authorizationType !== 'AWS_IAM')
      problems.push(
        `${where}.authorizationType: "AWS_IAM", or an authorizer (got ${JSON.stringify(authorizationType)})`,
      );
    // D-openapi: one mechanism per route.
    else if (authorizationType === 'AWS_IAM' && authorizer !== undefined)
      problems.push(`${where}.authorizationType: AWS_IAM or an authorizer, not both`);
    const credentials = (options as { awsCredentials?: unknown }).awsCredentials;
    if (credentials !== undefined && !isObject(credentials))
      problems.push('awsCredentials: an object of access key id → { secretAccessKey, userArn }');
    if (authorizationScopes !== undefined) {
      // D-limits: at most 10 scopes per route; scopes only mean something to a JWT authorizer.
      if (!isStrings(authorizationScopes) || authorizationScopes.length > 10)
        problems.push(`${where}.authorizationScopes: at most 10 non-empty strings`);
      else if (
        authorizationScopes.length > 0 &&
        (typeof authorizer !== 'string' ||
          (authorizers as Record<string, { type?: unknown }>)[authorizer]?.type !== 'JWT')
      )
        problems.push(`${where}.authorizationScopes: needs a JWT authorizer on the route`);
    }
  }
}
