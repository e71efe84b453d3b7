import type { Authorizer } from '../../config/types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What naming a security scheme in an operation's `security` does to the method. */
export type SchemeUse =
  | { kind: 'authorizer'; authorizationType: 'CUSTOM' | 'COGNITO_USER_POOLS' }
  | { kind: 'apiKey' }
  | { kind: 'iam' }
  /** A scheme REST APIs lack: a method naming it cannot be guarded as it says. */
  | { kind: 'unsupported'; reason: string };

export interface SecuritySchemes {
  authorizers: Record<string, Authorizer>;
  uses: Map<string, SchemeUse>;
}

const AUTHORIZER_TYPES: Record<string, Authorizer['type']> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
};

/**
 * `securityDefinitions` (Swagger 2) / `components.securitySchemes` (OAS 3) → authorizers named by
 * scheme key, plus what each scheme means for the methods that name it. REST APIs read guards only
 * from `apiKey` schemes (`x-amazon-apigateway-authtype`/`-authorizer`, the `x-api-key` header):
 * oauth2, openIdConnect and http schemes guard nothing on AWS, so a method naming one is refused
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html).
 */
export function readSecuritySchemes(schemes: unknown, unsupported: string[], label: string): SecuritySchemes {
  const authorizers: Record<string, Authorizer> = {};
  const uses = new Map<string, SchemeUse>();
  if (!isObject(schemes)) return { authorizers, uses };
  for (const [name, scheme] of Object.entries(schemes)) {
    const where = `${label}["${name}"]`;
    if (!isObject(scheme)) continue;
    const authtype = String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
    const ext = scheme['x-amazon-apigateway-authorizer'];
    if (isObject(ext)) {
      // No type: AWS takes a TOKEN authorizer.
      const type = AUTHORIZER_TYPES[String(ext.type ?? 'token').toLowerCase()];
      if (type === undefined) {
        const reason = `${where}: x-amazon-apigateway-authorizer type ${JSON.stringify(ext.type)}`;
        unsupported.push(reason);
        uses.set(name, { kind: 'unsupported', reason });
        continue;
      }
      // Without identitySource, AWS reads the header the scheme names (recorded: LocalStack
      // test_import_with_cognito_auth_identity_source → method.request.header.TestHeaderAuth).
      const identitySource =
        typeof ext.identitySource === 'string'
          ? ext.identitySource
          : scheme.in === 'header' && typeof scheme.name === 'string'
            ? `method.request.header.${scheme.name}`
            : undefined;
      const ttl = ext.authorizerResultTtlInSeconds;
      if (ext.authorizerCredentials !== undefined) {
        unsupported.push(
          `${where}: authorizerCredentials (the function is invoked without assuming the role)`,
        );
      }
      if (type === 'COGNITO_USER_POOLS') {
        authorizers[name] = {
          type,
          providerARNs: Array.isArray(ext.providerARNs) ? ext.providerARNs.map(String) : [],
          ...(identitySource !== undefined && { identitySource }),
          ...(ttl !== undefined && { authorizerResultTtlInSeconds: Number(ttl) }),
        };
        uses.set(name, { kind: 'authorizer', authorizationType: 'COGNITO_USER_POOLS' });
      } else {
        authorizers[name] = {
          type,
          ...(typeof ext.authorizerUri === 'string' && { uri: ext.authorizerUri }),
          ...(identitySource !== undefined && { identitySource }),
          ...(typeof ext.identityValidationExpression === 'string' && {
            identityValidationExpression: ext.identityValidationExpression,
          }),
          // Imported Lambda authorizers cache for 300 s unless told (recorded: LocalStack import snapshots).
          authorizerResultTtlInSeconds: ttl === undefined ? 300 : Number(ttl),
        };
        uses.set(name, { kind: 'authorizer', authorizationType: 'CUSTOM' });
      }
      continue;
    }
    if (authtype === 'awssigv4') {
      uses.set(name, { kind: 'iam' });
    } else if (
      scheme.type === 'apiKey' &&
      scheme.in === 'header' &&
      String(scheme.name).toLowerCase() === 'x-api-key'
    ) {
      uses.set(name, { kind: 'apiKey' });
    } else {
      const kind = scheme.type === 'http' ? `http ${String(scheme.scheme)}` : String(scheme.type);
      const reason = `${where}: ${kind} scheme without x-amazon-apigateway-authorizer`;
      unsupported.push(reason);
      uses.set(name, { kind: 'unsupported', reason });
    }
  }
  return { authorizers, uses };
}
