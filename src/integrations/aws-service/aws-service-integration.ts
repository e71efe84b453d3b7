import { ConfigError } from '../../config/config-error.js';
import type { Method } from '../../config/types.js';
import type { GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import { firstAcceptType, mediaTypeOf } from '../../http/media-type.js';
import { GatewayError } from '../../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from '../compiled-integration.js';
import {
  type CompiledIntegrationResponse,
  compileIntegrationResponses,
  compileTemplates,
  renderMethodResponse,
  selectIntegrationResponse,
} from '../integration-responses.js';
import { mapRequest, type RequestMapping } from '../map-request.js';
import { compileParameterMappings, type ParameterMapping } from './request-parameters.js';
import { resolveServiceCredentials, type ServiceCredentials } from './service-credentials.js';
import { resolveServiceEndpoint } from './service-endpoint.js';
import { parseServiceUri, type ServiceUri } from './service-uri.js';
import { encodeRfc3986, signRequest } from './sign-request.js';

/** What every service integration of one API shares: the options and the environment, read once. */
export class AwsServiceSettings {
  private resolved: ServiceCredentials | undefined | null = null;

  constructor(
    readonly credentials: ServiceCredentials | undefined,
    readonly endpoints: Record<string, string> | undefined,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The credentials to sign with, found once; none at all is a ConfigError naming the route. */
  credentialsFor(where: string): ServiceCredentials {
    if (this.resolved === null) this.resolved = resolveServiceCredentials(this.credentials, this.env);
    if (this.resolved === undefined) {
      throw new ConfigError(
        `${where}: no AWS credentials to sign the service request with (set awsServiceCredentials, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials)`,
      );
    }
    return this.resolved;
  }
}

// JSON-protocol services API Gateway addresses by action: it adds the X-Amz-Target the
// service's model names (LocalStack's AWS integration, validated against AWS for dynamodb,
// kinesis and states; EventBridge needs the header mapped by the user, as AWS's own recipe does).
const JSON_ACTION_SERVICES: Record<string, { targetPrefix: string; contentType: string }> = {
  dynamodb: { targetPrefix: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' },
  states: { targetPrefix: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  kinesis: { targetPrefix: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
};

// API Gateway sends no body with these integration methods (LocalStack NO_BODY_METHODS).
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PLACEHOLDER = /\{([^}]+)\}/g;

interface ServiceIntegrationConfig extends RequestMapping {
  uri: ServiceUri;
  httpMethod: string;
  endpoint: URL;
  credentials: ServiceCredentials;
  /** The role the integration names; recorded only: requests are signed with `credentials`. */
  role: string | undefined;
  parameters: ParameterMapping[];
  timeoutMs: number;
  responses: CompiledIntegrationResponse[];
}

type Values = Map<string, string | string[]>;

// REST v1 path parameters arrive still percent-encoded: an escape already there is kept, not
// encoded twice. [UNSURE: no recording of a mapped, encoded path parameter]
function encodeSegment(text: string): string {
  return text
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((part, i) => (i % 2 === 1 ? part.toUpperCase() : encodeRfc3986(part)))
    .join('');
}

function fillPlaceholders(template: string, values: Values, encode: boolean): string {
  return template.replace(PLACEHOLDER, (_m, raw: string) => {
    const greedy = raw.endsWith('+');
    const value = values.get(greedy ? raw.slice(0, -1) : raw) ?? values.get(raw);
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    if (!encode) return text;
    // A greedy `{key+}` keeps its slashes (S3 object keys with folders).
    return greedy ? text.split('/').map(encodeSegment).join('/') : encodeSegment(text);
  });
}

/** The integration request's URL: the endpoint, then the path or `Action=…`, then mapped query strings. */
function buildUrl(config: ServiceIntegrationConfig, path: Values, query: Values): URL {
  const url = new URL(config.endpoint.href);
  const base = url.pathname.replace(/\/$/, '');
  if (config.uri.kind === 'path') {
    url.pathname = `${base}/${fillPlaceholders(config.uri.target, path, true)}`;
  } else {
    url.searchParams.append('Action', config.uri.target);
    for (const [name, value] of config.uri.actionParameters) {
      url.searchParams.append(name, fillPlaceholders(value, path, false));
    }
  }
  for (const [name, value] of query) {
    for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(name, one);
  }
  return url;
}

function readOverrides(target: Values, override: unknown): void {
  if (typeof override !== 'object' || override === null) return;
  for (const [name, value] of Object.entries(override)) {
    if (value !== undefined && value !== null) target.set(name, String(value));
  }
}

/** `type: AWS` with a service URI: the request built, signed with SigV4 and sent to the service. */
export class AwsServiceIntegration implements CompiledIntegration {
  constructor(private readonly config: ServiceIntegrationConfig) {}

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const config = this.config;
    const mapped = mapRequest(req, route, api, config);
    if (mapped instanceof GatewayError) return mapped;
    const { scope } = mapped;

    const headers: Values = new Map();
    const query: Values = new Map();
    const path: Values = new Map();
    const at = { header: headers, querystring: query, path };
    for (const mapping of config.parameters) {
      const value = mapping.read(req, route, scope);
      if (value !== undefined)
        at[mapping.location].set(
          mapping.location === 'header' ? mapping.name.toLowerCase() : mapping.name,
          value,
        );
    }
    // `$context.requestOverride.*` set by the request template wins over requestParameters.
    const override = scope.context.requestOverride as Record<string, unknown> | undefined;
    const overridden: Values = new Map();
    readOverrides(overridden, override?.header);
    for (const [name, value] of overridden) headers.set(name.toLowerCase(), value);
    readOverrides(query, override?.querystring);
    readOverrides(path, override?.path);

    const outgoing = new Map<string, string>();
    for (const [name, value] of headers) outgoing.set(name, Array.isArray(value) ? value.join(',') : value);
    const json = config.uri.kind === 'action' ? JSON_ACTION_SERVICES[config.uri.service] : undefined;
    if (json) {
      if (!outgoing.has('x-amz-target'))
        outgoing.set('x-amz-target', `${json.targetPrefix}.${config.uri.target}`);
      if (!outgoing.has('content-type')) outgoing.set('content-type', json.contentType);
    }

    let body: Buffer = Buffer.alloc(0);
    if (!NO_BODY_METHODS.has(config.httpMethod)) {
      const mediaType = mediaTypeOf(req.headers.lower.get('content-type'));
      const rawBinary =
        req.body.length > 0 && api.isBinary(mediaType) && config.contentHandling === undefined;
      // A binary payload reaches this point only through passthrough: its bytes go as they came.
      // CONVERT_TO_BINARY passed through: the decoded bytes (mapRequest holds them as latin1).
      const decoded =
        config.contentHandling === 'CONVERT_TO_BINARY' &&
        !config.requestTemplates.has(mediaType ?? 'application/json');
      if (rawBinary) body = req.body;
      else body = Buffer.from(mapped.text, decoded ? 'latin1' : 'utf8');
      if (!outgoing.has('content-type')) {
        // [UNSURE] unmapped: the method request's Content-Type, else JSON (the template's output).
        const sent = req.headers.lower.get('content-type');
        if (sent !== undefined || body.length > 0) outgoing.set('content-type', sent ?? 'application/json');
      }
    }

    // Query-protocol services (SQS, SNS) answer JSON instead of XML to this Accept, the JSON
    // shape API Gateway's service recipes show ({"SendMessageResponse": {…}}). [OBS]
    if (!outgoing.has('accept')) outgoing.set('accept', 'application/json');
    const url = buildUrl(config, path, query);
    const request = { method: config.httpMethod, url, headers: outgoing, body };
    signRequest(request, config.credentials, config.uri.region, config.uri.service, api.now());
    outgoing.delete('host'); // fetch writes the URL's own host, the one signed

    let status: number;
    let responseHeaders: Map<string, string>;
    let bytes: Buffer;
    try {
      const response = await fetch(url, {
        method: config.httpMethod,
        headers: [...outgoing],
        body: body.length > 0 ? (body as Uint8Array<ArrayBuffer>) : undefined,
        signal: AbortSignal.timeout(config.timeoutMs),
        redirect: 'manual',
      });
      bytes = Buffer.from(await response.arrayBuffer());
      status = response.status;
      responseHeaders = new Map([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        api.logger.error(`Execution failed due to a timeout error: ${config.uri.service} ${url.origin}`);
        return new GatewayError('INTEGRATION_TIMEOUT');
      }
      api.logger.error(
        `Execution failed due to configuration error: ${config.uri.service} ${url.origin}:`,
        (error as Error).cause ?? (error as Error).message,
      );
      return new GatewayError('INTEGRATION_FAILURE');
    }

    // Service integrations select on the status code, not on an error message (API_IntegrationResponse).
    const selected = selectIntegrationResponse(config.responses, String(status));
    if (!selected) {
      api.logger.error(
        'Execution failed due to configuration error: No match for output mapping and no default output mapping configured',
      );
      return new GatewayError('API_CONFIGURATION_ERROR');
    }
    const contentType = mediaTypeOf(responseHeaders.get('content-type'));
    const binary =
      api.isBinary(contentType) ||
      (api.isBinary(firstAcceptType(req.headers.lower.get('accept'))) && selected.templates.size === 0);
    let payload = bytes.toString('utf8');
    let settings = selected;
    if (binary) {
      payload =
        selected.contentHandling === 'CONVERT_TO_TEXT' ? bytes.toString('base64') : bytes.toString('latin1');
      settings = { ...selected, contentHandling: undefined };
    }
    const response = renderMethodResponse(
      settings,
      { payload, headers: responseHeaders },
      scope,
      firstAcceptType(req.headers.lower.get('accept')),
    );
    if (response instanceof GatewayError) return response;
    if (binary && selected.contentHandling !== 'CONVERT_TO_TEXT' && selected.templates.size === 0) {
      response.body = bytes;
    }
    return { response, traced: false };
  }
}

/** Compiles a `type: AWS` integration whose uri names a service other than Lambda. */
export function compileAwsServiceIntegration(
  route: string,
  method: Method,
  stageVariables: Record<string, string>,
  timeoutMs: number,
  settings: AwsServiceSettings,
): CompiledIntegration {
  const integration = method.integration;
  const where = `${route}: integration.uri`;
  // A stage's variables are fixed per apiGateway(): `${stageVariables.x}` resolves once.
  const uri = (integration.uri as string).replace(
    /\$\{stageVariables\.(\w+)\}/g,
    (_m, name: string) => stageVariables[name] ?? '',
  );
  const parsed = parseServiceUri(uri, where);
  return new AwsServiceIntegration({
    uri: parsed,
    httpMethod: (integration.httpMethod ?? 'POST').toUpperCase(),
    endpoint: resolveServiceEndpoint(
      parsed.service,
      parsed.region,
      parsed.subdomain,
      settings.endpoints,
      settings.env,
      where,
    ),
    credentials: settings.credentialsFor(where),
    role: integration.credentials,
    parameters: compileParameterMappings(integration.requestParameters),
    timeoutMs,
    passthroughBehavior: integration.passthroughBehavior ?? 'WHEN_NO_MATCH',
    requestTemplates: compileTemplates(
      integration.requestTemplates,
      `${route}: integration.requestTemplates`,
    ),
    contentHandling: integration.contentHandling,
    responses: compileIntegrationResponses(route, integration.integrationResponses, method.methodResponses),
  });
}
