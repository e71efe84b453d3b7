import type { ValidateFunction } from 'ajv-draft-04';
import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, Method } from '../config/types.js';
import type { GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { mediaTypeOf } from '../http/media-type.js';
import { GatewayError } from '../responses/gateway-error.js';
import { compileModels } from './compile-models.js';
import { validationErrorString } from './fge-messages.js';

/** A method's request validator, compiled once: the checks its `requestValidator` turns on. */
export interface RequestValidator {
  /** True when the body is checked against the method's `requestModels`. */
  readonly validatesBody: boolean;
  /** True when the method's required `requestParameters` are checked. */
  readonly validatesParameters: boolean;
  /** BAD_REQUEST_PARAMETERS or BAD_REQUEST_BODY, or undefined when the request passes. */
  validate(req: GatewayRequest, route: RouteMatch): GatewayError | undefined;
}

interface RequiredParameter {
  location: 'path' | 'querystring' | 'header';
  name: string;
  /** Header names match case-insensitively. */
  lower: string;
}

const PARAMETER = /^method\.request\.(path|querystring|header)\.(.+)$/;
const VALIDATOR_KEYS = ['validateRequestBody', 'validateRequestParameters'];
// What API Gateway logs for a body it cannot read as JSON (OBS: console test of an empty body).
const UNPARSABLE = '[Unknown error parsing request body]';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

function checkValidators(options: ApiGatewayOptions): void {
  const validators = options.requestValidators ?? {};
  if (!isObject(validators)) {
    throw new ConfigError(
      'requestValidators: must be an object of validator name → { validateRequestBody, validateRequestParameters }',
    );
  }
  for (const [name, validator] of Object.entries(validators)) {
    const where = `requestValidators["${name}"]`;
    if (!isObject(validator)) throw new ConfigError(`${where}: must be an object`);
    for (const [key, value] of Object.entries(validator)) {
      if (!VALIDATOR_KEYS.includes(key)) {
        throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${VALIDATOR_KEYS.join(', ')})`);
      }
      if (typeof value !== 'boolean') throw new ConfigError(`${where}.${key}: must be a boolean`);
    }
  }
}

/** `requestModels`: every name must be a model of the API (put-method refuses others). */
function compileRequestModels(
  route: string,
  method: Method,
  options: ApiGatewayOptions,
): Map<string, ValidateFunction> {
  const models = compileModels(options);
  const byType = new Map<string, ValidateFunction>();
  const requestModels = method.requestModels ?? {};
  if (!isObject(requestModels))
    throw new ConfigError(`${route}: requestModels: must be an object of content type → model name`);
  for (const [contentType, name] of Object.entries(requestModels)) {
    const fn = typeof name === 'string' ? models.get(name) : undefined;
    if (fn === undefined) {
      throw new ConfigError(
        `${route}: requestModels["${contentType}"]: unknown model ${JSON.stringify(name)} (known: ${models.names.length ? models.names.join(', ') : 'none'})`,
      );
    }
    byType.set(contentType === '$default' ? contentType : contentType.toLowerCase(), fn);
  }
  return byType;
}

/** Required parameters, in the order AWS lists them: by full key (recorded: [x-header-param, issuer, qs1]). */
function compileRequiredParameters(route: string, method: Method): RequiredParameter[] {
  const required: RequiredParameter[] = [];
  for (const key of Object.keys(method.requestParameters ?? {}).sort()) {
    const match = PARAMETER.exec(key);
    if (!match) {
      throw new ConfigError(
        `${route}: requestParameters["${key}"]: keys are method.request.{path|querystring|header}.{name}`,
      );
    }
    if (method.requestParameters?.[key] !== true) continue;
    const location = match[1] as RequiredParameter['location'];
    required.push({ location, name: match[2], lower: match[2].toLowerCase() });
  }
  return required;
}

function missingParameters(
  required: readonly RequiredParameter[],
  req: GatewayRequest,
  route: RouteMatch,
): string[] {
  const missing: string[] = [];
  for (const p of required) {
    let value: string | undefined;
    if (p.location === 'header') value = req.headers.lower.get(p.lower);
    else if (p.location === 'querystring') {
      const single = req.query?.single;
      value = single && Object.hasOwn(single, p.name) ? single[p.name] : undefined;
    } else {
      const params = route.pathParameters;
      value = params && Object.hasOwn(params, p.name) ? params[p.name] : undefined;
    }
    if (isBlank(value)) missing.push(p.name);
  }
  return missing;
}

/**
 * The method's request validator, or undefined when nothing is to be checked: no
 * `requestValidator`, or one with both flags false (a model alone validates nothing, as on AWS).
 * Parameters are checked before the body. The body is checked against the model for the
 * request's media type (`application/json` without a Content-Type), else the `$default` model,
 * else not at all (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html).
 * Throws ConfigError for an unknown validator or model, or a model that does not compile.
 * @example
 * compileRequestValidator('POST /pets', { requestValidator: 'all', requestModels: { 'application/json': 'Pet' }, integration }, options)
 */
export function compileRequestValidator(
  route: string,
  method: Method,
  options: ApiGatewayOptions,
): RequestValidator | undefined {
  checkValidators(options);
  const byType = compileRequestModels(route, method, options);
  const name = method.requestValidator;
  if (name === undefined) return undefined;
  const validators = options.requestValidators ?? {};
  if (typeof name !== 'string' || !Object.hasOwn(validators, name)) {
    const known = Object.keys(validators);
    throw new ConfigError(
      `${route}: requestValidator: unknown request validator ${JSON.stringify(name)} (known: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  const definition = validators[name];
  const required = definition.validateRequestParameters ? compileRequiredParameters(route, method) : [];
  const models = definition.validateRequestBody ? byType : new Map<string, ValidateFunction>();
  if (required.length === 0 && models.size === 0) return undefined;
  const { allOfBranches } = compileModels(options);
  return {
    validatesBody: models.size > 0,
    validatesParameters: required.length > 0,
    validate(req, match) {
      if (required.length > 0) {
        const missing = missingParameters(required, req, match);
        if (missing.length > 0) {
          const message = `Missing required request parameters: [${missing.join(', ')}]`;
          return new GatewayError('BAD_REQUEST_PARAMETERS', { message, validationErrorString: message });
        }
      }
      if (models.size === 0) return undefined;
      const type = mediaTypeOf(req.headers.lower.get('content-type')) ?? 'application/json';
      const model = models.get(type) ?? models.get('$default');
      if (model === undefined) return undefined;
      let body: unknown;
      const empty = req.body.length === 0;
      if (empty) body = {};
      else {
        try {
          body = JSON.parse(req.body.toString('utf8'));
        } catch {
          return new GatewayError('BAD_REQUEST_BODY', { validationErrorString: UNPARSABLE });
        }
      }
      if (model(body)) return undefined;
      return new GatewayError('BAD_REQUEST_BODY', {
        validationErrorString: empty
          ? UNPARSABLE
          : validationErrorString(model.errors ?? [], body, allOfBranches),
      });
    },
  };
}
