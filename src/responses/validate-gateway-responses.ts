import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ConfigError } from '../config/config-error.js';
import { GATEWAY_RESPONSES, type GatewayResponseType } from './gateway-responses.js';
import { toWireHeaderValue } from './header-value.js';

const RESPONSE_KEYS = ['statusCode', 'responseParameters', 'responseTemplates'];
export const HEADER_TARGET = 'gatewayresponse.header.';
/** The sources put-gateway-response accepts for a header. */
export const GATEWAY_PARAMETER_SOURCE =
  /^('.*'|method\.request\.(header|querystring|path)\.[^.]+|stageVariables\.[^.]+|context\.[\w.]+)$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function isGatewayResponseType(type: string): type is GatewayResponseType {
  return Object.hasOwn(GATEWAY_RESPONSES, type);
}

/** `gatewayResponses`, checked as put-gateway-response checks it; templates are compiled later. */
export function validateGatewayResponses(responses: unknown): void {
  if (responses === undefined) return;
  if (!isObject(responses))
    throw new ConfigError('gatewayResponses: must be an object of response type → response');
  for (const [type, response] of Object.entries(responses)) {
    const where = `gatewayResponses.${type}`;
    if (!isGatewayResponseType(type)) {
      throw new ConfigError(
        `${where}: unknown gateway response type (known: ${Object.keys(GATEWAY_RESPONSES).join(', ')})`,
      );
    }
    if (!isObject(response)) throw new ConfigError(`${where}: must be an object`);
    for (const key of Object.keys(response)) {
      if (!RESPONSE_KEYS.includes(key)) {
        throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${RESPONSE_KEYS.join(', ')})`);
      }
    }
    const { statusCode, responseParameters, responseTemplates } = response;
    if (statusCode !== undefined && !(typeof statusCode === 'string' && /^[2-5]\d\d$/.test(statusCode))) {
      throw new ConfigError(
        `${where}.statusCode: must be a status code such as "403" (got ${JSON.stringify(statusCode)})`,
      );
    }
    if (responseParameters !== undefined) {
      if (!isObject(responseParameters))
        throw new ConfigError(`${where}.responseParameters: must be an object`);
      for (const [target, source] of Object.entries(responseParameters)) {
        checkParameter(`${where}.responseParameters["${target}"]`, target, source);
      }
    }
    if (responseTemplates !== undefined) {
      if (!isObject(responseTemplates))
        throw new ConfigError(`${where}.responseTemplates: must be an object`);
      for (const [mediaType, template] of Object.entries(responseTemplates)) {
        const at = `${where}.responseTemplates["${mediaType}"]`;
        if (!mediaType.includes('/'))
          throw new ConfigError(`${at}: keys are media types such as "application/json"`);
        if (typeof template !== 'string') throw new ConfigError(`${at}: must be a string`);
      }
    }
  }
}

function checkParameter(where: string, target: string, source: unknown): void {
  const name = target.startsWith(HEADER_TARGET) ? target.slice(HEADER_TARGET.length) : '';
  try {
    if (name === '') throw new Error();
    validateHeaderName(name);
  } catch {
    throw new ConfigError(`${where}: keys are gatewayresponse.header.{name}`);
  }
  if (typeof source !== 'string' || !GATEWAY_PARAMETER_SOURCE.test(source)) {
    throw new ConfigError(
      `${where}: ${JSON.stringify(source)} is not a mapping source ('static', method.request.header.X, method.request.querystring.X, method.request.path.X, stageVariables.X, context.X)`,
    );
  }
  if (source.startsWith("'")) {
    try {
      validateHeaderValue(name, toWireHeaderValue(source.slice(1, -1)));
    } catch {
      throw new ConfigError(`${where}: ${JSON.stringify(source)} is not a valid header value`);
    }
  }
}
