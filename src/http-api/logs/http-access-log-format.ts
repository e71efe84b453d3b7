import { compileContextFormat } from '../../gateway/access-log-format.js';
import { formatRequestTime } from '../../http/request-seed.js';
import { HTTP_API_ERRORS } from '../http-api-errors.js';
import type { HttpApiIdentity } from '../to-event-v2.js';
import type { HttpApiFacts } from './http-api-facts.js';

/** What a line may read besides the request's facts: fixed per `httpApi()`. */
export interface HttpAccessLogScope {
  identity: HttpApiIdentity;
  /** `$context.customDomain.basePathMatched`: absent on the execute-api URL. */
  basePathMatched: string | undefined;
}

type Getter = (facts: HttpApiFacts, scope: HttpAccessLogScope) => unknown;

/** A format compiled once: literal text and getters, in order. */
export type HttpAccessLogRenderer = (facts: HttpApiFacts, scope: HttpAccessLogScope) => string;

const known = (n: number) => (n < 0 ? undefined : n);
const header = (f: HttpApiFacts, name: string): string | undefined => {
  const read = f.request?.headers.get(name);
  if (read !== undefined) return read.join(',');
  const raw = f.req.headers[name];
  return Array.isArray(raw) ? raw.join(',') : raw;
};
const domainName = (f: HttpApiFacts, s: HttpAccessLogScope): string =>
  header(f, 'host') ?? `${s.identity.apiId}.execute-api.${s.identity.region}.amazonaws.com`;
/** The path as the event's `http.path` has it; before the route matched, as the client sent it. */
const requestPath = (f: HttpApiFacts): string => {
  if (f.request !== undefined) return f.request.rawPath;
  const url = f.req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};
// `{"message":"Not Found"}` → `Not Found`: the message the gateway's own answer carries.
const errorMessage = (f: HttpApiFacts): string | undefined =>
  f.errorType === undefined ? undefined : (JSON.parse(HTTP_API_ERRORS[f.errorType].body).message as string);
const iam =
  (field: string): Getter =>
  (f) =>
    (f.authorizer?.iam as Record<string, unknown> | undefined)?.[field];
const lambdaContext = (f: HttpApiFacts) => f.authorizer?.lambda as Record<string, unknown> | undefined;
const jwtClaims = (f: HttpApiFacts) =>
  (f.authorizer?.jwt as { claims?: Record<string, unknown> } | undefined)?.claims;

const ABSENT: Getter = () => undefined;

/**
 * HTTP APIs have no gateway responses; `error.responseType` names the REST type of the same
 * answer (UNCONFIRMED: AWS documents the variable, not its values on HTTP APIs).
 */
const RESPONSE_TYPES: Record<keyof typeof HTTP_API_ERRORS, string> = {
  NOT_FOUND: 'RESOURCE_NOT_FOUND',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'ACCESS_DENIED',
  INTERNAL_SERVER_ERROR: 'DEFAULT_5XX',
  SERVICE_UNAVAILABLE: 'INTEGRATION_TIMEOUT',
  BAD_REQUEST: 'BAD_REQUEST_PARAMETERS',
  PAYLOAD_TOO_LARGE: 'REQUEST_TOO_LARGE',
  TOO_MANY_REQUESTS: 'THROTTLED',
};

/**
 * The `$context` variables AWS documents for HTTP API access logs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html),
 * with what each reads. Those of features not emulated (mutual TLS, AWS service integrations'
 * second id) are known and log `-`, as on a stage without them.
 */
const VARIABLES: Record<string, Getter> = {
  accountId: (_f, s) => s.identity.accountId,
  apiId: (_f, s) => s.identity.apiId,
  stage: (_f, s) => s.identity.stage,
  // The doc: extendedRequestId is "equivalent to $context.requestId" on HTTP APIs.
  requestId: (f) => f.requestId,
  extendedRequestId: (f) => f.requestId,
  requestTime: (f) => (f.requestTimeEpoch < 0 ? undefined : formatRequestTime(f.requestTimeEpoch)),
  requestTimeEpoch: (f) => known(f.requestTimeEpoch),
  httpMethod: (f) => f.request?.method ?? f.req.method,
  path: requestPath,
  protocol: (f) => `HTTP/${f.req.httpVersion ?? '1.1'}`,
  routeKey: (f) => f.routeKey,
  domainName,
  domainPrefix: (f, s) => {
    const name = domainName(f, s);
    const dot = name.indexOf('.');
    return dot === -1 ? name : name.slice(0, dot);
  },
  'customDomain.basePathMatched': (_f, s) => s.basePathMatched,
  status: (f) => known(f.status),
  responseLength: (f) => f.responseLength(),
  responseLatency: (f) => (f.endedAt < 0 ? undefined : Math.max(0, f.endedAt - f.startedAt)),
  dataProcessed: (f) => f.dataProcessed(),
  'error.message': errorMessage,
  'error.messageString': (f) => {
    const message = errorMessage(f);
    return message === undefined ? undefined : `"${message}"`;
  },
  'error.responseType': (f) => (f.errorType === undefined ? undefined : RESPONSE_TYPES[f.errorType]),
  'identity.sourceIp': (f) => f.request?.sourceIp ?? sourceIpOf(f),
  'identity.userAgent': (f) => header(f, 'user-agent'),
  // IAM routes: the signer, as `requestContext.authorizer.iam` holds it.
  'identity.accountId': iam('accountId'),
  'identity.caller': iam('callerId'),
  'identity.user': iam('userId'),
  'identity.userArn': iam('userArn'),
  'identity.principalOrgId': iam('principalOrgId'),
  'identity.cognitoAuthenticationProvider': ABSENT,
  'identity.cognitoAuthenticationType': ABSENT,
  'identity.cognitoIdentityId': ABSENT,
  'identity.cognitoIdentityPoolId': ABSENT,
  'identity.clientCert.clientCertPem': ABSENT,
  'identity.clientCert.subjectDN': ABSENT,
  'identity.clientCert.issuerDN': ABSENT,
  'identity.clientCert.serialNumber': ABSENT,
  'identity.clientCert.validity.notBefore': ABSENT,
  'identity.clientCert.validity.notAfter': ABSENT,
  'authorizer.error': (f) => f.authorizerError,
  'authorizer.principalId': (f) => f.principalId,
  // "Calling $context.authorizer.claims returns null."
  'authorizer.claims': ABSENT,
  'integration.error': (f) => f.integrationError,
  'integration.integrationStatus': (f) => known(f.integrationServiceStatus),
  'integration.latency': (f) => known(f.integrationLatency),
  'integration.requestId': (f) => f.integrationRequestId,
  // The function's own status: its result's, before response mapping.
  'integration.status': (f) => known(f.integrationStatus),
  integrationErrorMessage: (f) => f.integrationError,
  integrationLatency: (f) => known(f.integrationLatency),
  integrationStatus: (f) => known(f.integrationServiceStatus),
  awsEndpointRequestId: (f) => f.integrationRequestId,
  awsEndpointRequestId2: ABSENT,
};

function sourceIpOf(f: HttpApiFacts): string {
  const ip = f.req.socket?.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** `$context.authorizer.claims.{claim}` (JWT) and `$context.authorizer.{key}` (a Lambda authorizer's context). */
function authorizerGetter(name: string): Getter | undefined {
  if (name.startsWith('authorizer.claims.')) {
    const claim = name.slice('authorizer.claims.'.length);
    return (f) => jwtClaims(f)?.[claim];
  }
  if (name.startsWith('authorizer.') && !name.slice('authorizer.'.length).includes('.')) {
    const key = name.slice('authorizer.'.length);
    return (f) => {
      const context = lambdaContext(f);
      return context !== undefined && Object.hasOwn(context, key) ? context[key] : undefined;
    };
  }
  return undefined;
}

/**
 * Checks a format as CreateStage does and compiles it into literal parts and getters, so a line
 * is a concatenation. `unknown` receives each name AWS does not document: logged as `-`.
 * @example
 * compileHttpAccessLogFormat('$context.requestId $context.routeKey $context.status')(facts, scope)
 * // → 'ATfSmjLgPHcESJw= GET /pets/{id} 200'
 */
export function compileHttpAccessLogFormat(
  format: unknown,
  unknown: (name: string) => void = () => {},
): HttpAccessLogRenderer {
  return compileContextFormat(format, (name) => VARIABLES[name] ?? authorizerGetter(name), unknown);
}
