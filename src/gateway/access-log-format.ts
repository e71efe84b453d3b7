import { ConfigError } from '../config/config-error.js';
import type { ApiIdentity, GatewayRequest } from '../http/gateway-request.js';
import type { RequestFacts, StepFacts } from '../http/request-facts.js';
import { formatRequestTime } from '../http/request-seed.js';
import { domainNameOf } from '../integrations/proxy.js';

/** What a line may read besides the request's facts: fixed per `apiGateway()`. */
export interface AccessLogScope {
  identity: ApiIdentity;
  /** `$context.customDomain.basePathMatched`: the base path mapping, `(none)` on the execute-api URL. */
  basePathMatched: string;
}

type Getter = (facts: RequestFacts, scope: AccessLogScope) => unknown;

/** A format compiled once: literal text and getters, in order. */
export type AccessLogRenderer = (facts: RequestFacts, scope: AccessLogScope) => string;

// Rendered only for requests that reached the API, so `request` is set.
const req = (f: RequestFacts) => f.request as GatewayRequest;
const known = (n: number) => (n < 0 ? undefined : n);
const step = (pick: (f: RequestFacts) => StepFacts | undefined, field: keyof StepFacts): Getter => {
  if (field === 'error') return (f) => pick(f)?.error;
  return (f) => {
    const value = pick(f)?.[field];
    return value === undefined ? undefined : known(value as number);
  };
};
const identityField =
  (name: string): Getter =>
  (f) =>
    f.request?.auth?.identity?.[name];
const authorizerField = (f: RequestFacts): Record<string, unknown> | undefined => f.request?.auth?.authorizer;

// The same sources `$context` reads in templates (integrations/proxy.ts), field by field, without
// building the whole request context for each line.
const domainName = (f: RequestFacts, s: AccessLogScope): string => domainNameOf(req(f), s.identity);

const ABSENT: Getter = () => undefined;

/**
 * The `$context` variables API Gateway documents for REST access logs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html),
 * with what each reads. Those of features not emulated here (WAF, mutual TLS, canaries, X-Ray,
 * HTTP APIs' own) are known and log `-`, as on a stage without them.
 */
const VARIABLES: Record<string, Getter> = {
  accountId: (_f, s) => s.identity.accountId,
  apiId: (_f, s) => s.identity.restApiId,
  stage: (_f, s) => s.identity.stageName,
  requestId: (f) => req(f).seed.requestId,
  extendedRequestId: (f) => req(f).seed.extendedRequestId,
  requestTime: (f) => formatRequestTime(req(f).seed.requestTimeEpoch),
  requestTimeEpoch: (f) => req(f).seed.requestTimeEpoch,
  httpMethod: (f) => req(f).httpMethod,
  path: (f) => req(f).requestPath,
  protocol: (f) => req(f).protocol,
  resourcePath: (f) => f.route?.resourcePath,
  resourceId: (f) => f.route?.resourceId,
  domainName,
  domainPrefix: (f, s) => {
    const name = domainName(f, s);
    const dot = name.indexOf('.');
    return dot === -1 ? name : name.slice(0, dot);
  },
  'customDomain.basePathMatched': (f, s) => req(f).customDomain?.basePathMatched ?? s.basePathMatched,
  status: (f) => known(f.status),
  responseLength: (f) => known(f.responseLength),
  responseLatency: (f) => (f.endedAt < 0 ? undefined : Math.max(0, f.endedAt - f.startedAt)),
  'error.message': (f) => f.errorMessage,
  // The message in double quotes (the doc's "quoted value of $context.error.message").
  'error.messageString': (f) =>
    f.errorMessage === undefined || f.errorMessage === null ? undefined : `"${f.errorMessage}"`,
  'error.responseType': (f) => f.errorResponseType,
  'error.validationErrorString': (f) => f.validationErrorString,
  'identity.sourceIp': (f) => req(f).sourceIp,
  'identity.userAgent': (f) => req(f).headers.lower.get('user-agent'),
  'identity.accountId': identityField('accountId'),
  'identity.apiKey': identityField('apiKey'),
  'identity.apiKeyId': identityField('apiKeyId'),
  'identity.caller': identityField('caller'),
  'identity.cognitoAuthenticationProvider': identityField('cognitoAuthenticationProvider'),
  'identity.cognitoAuthenticationType': identityField('cognitoAuthenticationType'),
  'identity.cognitoIdentityId': identityField('cognitoIdentityId'),
  'identity.cognitoIdentityPoolId': identityField('cognitoIdentityPoolId'),
  'identity.principalOrgId': identityField('principalOrgId'),
  'identity.user': identityField('user'),
  'identity.userArn': identityField('userArn'),
  'identity.vpceId': identityField('vpceId'),
  'identity.vpcId': identityField('vpcId'),
  'identity.clientCert.clientCertPem': ABSENT,
  'identity.clientCert.subjectDN': ABSENT,
  'identity.clientCert.issuerDN': ABSENT,
  'identity.clientCert.serialNumber': ABSENT,
  'identity.clientCert.validity.notBefore': ABSENT,
  'identity.clientCert.validity.notAfter': ABSENT,
  'authorize.error': step((f) => f.authorize, 'error'),
  'authorize.latency': step((f) => f.authorize, 'latency'),
  'authorize.status': step((f) => f.authorize, 'status'),
  'authenticate.error': step((f) => f.authenticate, 'error'),
  'authenticate.latency': step((f) => f.authenticate, 'latency'),
  'authenticate.status': step((f) => f.authenticate, 'status'),
  'authorizer.error': step((f) => f.authorizer, 'error'),
  'authorizer.latency': step((f) => f.authorizer, 'latency'),
  'authorizer.status': step((f) => f.authorizer, 'status'),
  'authorizer.integrationLatency': (f) => known(f.authorizerIntegrationLatency),
  'authorizer.integrationStatus': (f) => known(f.authorizerIntegrationStatus),
  'authorizer.requestId': (f) => f.authorizerRequestId,
  'authorizer.principalId': (f) => authorizerField(f)?.principalId,
  'integration.error': (f) => f.integrationError,
  'integration.integrationStatus': (f) => known(f.integrationServiceStatus),
  'integration.latency': (f) => known(f.integrationLatency),
  'integration.requestId': (f) => f.integrationRequestId,
  'integration.status': (f) => known(f.integrationStatus),
  integrationErrorMessage: (f) => f.integrationError,
  integrationLatency: (f) => known(f.integrationLatency),
  integrationStatus: (f) => known(f.integrationServiceStatus),
  awsEndpointRequestId: (f) => f.integrationRequestId,
  awsEndpointRequestId2: ABSENT,
  'waf.error': ABSENT,
  'waf.latency': ABSENT,
  'waf.status': ABSENT,
  wafResponseCode: ABSENT,
  webaclArn: ABSENT,
  xrayTraceId: ABSENT,
  isCanaryRequest: ABSENT,
  // HTTP API variables: a REST stage logs "-" for them (recorded: DataBiosphere/azul#4348).
  routeKey: ABSENT,
  dataProcessed: ABSENT,
};

/** `$context.authorizer.claims.{claim}` and `$context.authorizer.{key}`: the authorizer's output. */
function authorizerGetter(name: string): Getter | undefined {
  if (name.startsWith('authorizer.claims.')) {
    const claim = name.slice('authorizer.claims.'.length);
    return (f) => (authorizerField(f)?.claims as Record<string, unknown> | undefined)?.[claim];
  }
  if (name.startsWith('authorizer.') && !name.slice('authorizer.'.length).includes('.')) {
    const key = name.slice('authorizer.'.length);
    return (f) => {
      const context = authorizerField(f);
      return context !== undefined && Object.hasOwn(context, key) ? context[key] : undefined;
    };
  }
  // Overrides are a mapping template's: nothing an access log can read after the fact.
  if (name.startsWith('requestOverride.') || name.startsWith('responseOverride.')) return ABSENT;
  return undefined;
}

/** A value as a line shows it: verbatim, `-` when absent or empty (no quoting or escaping, as AWS). */
function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// A name runs over letters, digits and `_`, dot-separated; a claim's name may also hold `:`
// between them (Cognito's `cognito:username`, `custom:tenant`). Anything else ends it.
const VARIABLE =
  /\$context\.(authorizer\.claims\.[A-Za-z0-9_]+(?::[A-Za-z0-9_]+)*|[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g;

/** Every `$context.…` name a format uses, in order. */
export function accessLogVariables(format: string): string[] {
  return [...format.matchAll(VARIABLE)].map((m) => m[1]);
}

/**
 * Checks a format as update-stage does and compiles it into literal parts and getters, so a line
 * is a concatenation, never a template evaluation. `unknown` receives each name no documented
 * variable has: AWS accepts those and logs `-` for them.
 * @example
 * compileAccessLogFormat('$context.requestId $context.status', (name) => warn(name))(facts, scope)
 * // → 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef 200'
 */
export function compileAccessLogFormat(
  format: unknown,
  unknown: (name: string) => void = () => {},
): AccessLogRenderer {
  return compileContextFormat(format, (name) => VARIABLES[name] ?? authorizerGetter(name), unknown);
}

/**
 * The part REST and HTTP API stages share: the checks update-stage and CreateStage make, and the
 * compilation into literal parts and getters. `lookup` gives a name's getter, undefined for a name
 * AWS does not document (passed to `unknown`, logged as `-`).
 */
export function compileContextFormat<F, S>(
  format: unknown,
  lookup: (name: string) => ((facts: F, scope: S) => unknown) | undefined,
  unknown: (name: string) => void,
): (facts: F, scope: S) => string {
  const where = 'accessLogSettings.format';
  if (typeof format !== 'string' || format.trim() === '') {
    throw new ConfigError(`${where}: a single-line string of $context variables (got ${typeof format})`);
  }
  // update-stage keeps one newline at the very end, and refuses one anywhere else.
  const line = format.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(line)) {
    throw new ConfigError(
      `${where}: Access Log format must be single line, new line character is allowed only at end of the format`,
    );
  }
  const parts: (string | ((facts: F, scope: S) => unknown))[] = [];
  let last = 0;
  let hasRequestId = false;
  for (const match of line.matchAll(VARIABLE)) {
    const name = match[1];
    const getter = lookup(name);
    if (name === 'requestId' || name === 'extendedRequestId') hasRequestId = true;
    if (getter === undefined) unknown(name);
    if (match.index > last) parts.push(line.slice(last, match.index));
    parts.push(getter ?? (() => undefined));
    last = match.index + match[0].length;
  }
  if (last < line.length) parts.push(line.slice(last));
  // Both products refuse a format without one (HTTP APIs: CDK's apigatewayv2 AccessLogSettings docs).
  if (!hasRequestId) {
    throw new ConfigError(
      `${where}: Access Log format must include either $context.requestId or $context.extendedRequestId`,
    );
  }
  return (facts, scope) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : text(part(facts, scope));
    return out;
  };
}
