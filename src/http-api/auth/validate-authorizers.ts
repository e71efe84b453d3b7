import type { HttpApiOptions } from '../types.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const JWT_KEYS = new Set(['type', 'identitySource', 'issuer', 'audience', 'jwks']);
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
    if (!isObject(auth) || auth.type !== 'JWT') {
      problems.push(`${where}.type: "JWT" (got ${JSON.stringify(isObject(auth) ? auth.type : auth)})`);
      continue;
    }
    for (const key of Object.keys(auth))
      if (!JWT_KEYS.has(key))
        problems.push(`${where}: unknown option "${key}" (known: ${[...JWT_KEYS].join(', ')})`);
    if (typeof auth.issuer !== 'string' || !/^https:\/\/./.test(auth.issuer))
      problems.push(`${where}.issuer: an https URL (got ${JSON.stringify(auth.issuer)})`);
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
    if (authorizationScopes !== undefined) {
      // D-limits: at most 10 scopes per route; scopes only mean something to a JWT authorizer.
      if (!isStrings(authorizationScopes) || authorizationScopes.length > 10)
        problems.push(`${where}.authorizationScopes: at most 10 non-empty strings`);
      else if (authorizer === undefined && authorizationScopes.length > 0)
        problems.push(`${where}.authorizationScopes: needs a JWT authorizer on the route`);
    }
  }
}
