import { ConfigError } from '../../config/config-error.js';
import type { Integration } from '../../config/types.js';
import { compileUri } from './http-uri.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);

/** Startup checks for `type: 'HTTP' | 'HTTP_PROXY'`: uri, httpMethod, connectionType, stage variables. */
export function validateHttpIntegration(
  integration: Integration,
  where: string,
  stageVariables: Record<string, string>,
): void {
  if (typeof integration.uri !== 'string') {
    throw new ConfigError(`${where}.uri: missing (the backend's http(s) URL)`);
  }
  const uri = compileUri(integration.uri, where);
  for (const part of uri.parts) {
    if (part.kind === 'stageVariable' && stageVariables[part.name] === undefined) {
      throw new ConfigError(`${where}.uri: stage variable "${part.name}" is not set in stageVariables`);
    }
  }
  const method = String(integration.httpMethod ?? '').toUpperCase();
  if (!METHODS.has(method)) {
    throw new ConfigError(
      `${where}.httpMethod: GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY (got ${JSON.stringify(integration.httpMethod)})`,
    );
  }
  const connection = integration.connectionType ?? 'INTERNET';
  if (connection === 'VPC_LINK') {
    throw new ConfigError(
      `${where}.connectionType: VPC_LINK: a VPC link's network load balancer cannot be reached from here; give the backend's own URL with INTERNET`,
    );
  }
  if (connection !== 'INTERNET') {
    throw new ConfigError(
      `${where}.connectionType: INTERNET or VPC_LINK (got ${JSON.stringify(connection)})`,
    );
  }
  const mapped = new Set(
    Object.keys(integration.requestParameters ?? {})
      .filter((key) => key.startsWith('integration.request.path.'))
      .map((key) => key.slice('integration.request.path.'.length)),
  );
  for (const name of uri.placeholders) {
    if (!mapped.has(name)) {
      throw new ConfigError(
        `${where}.uri: {${name}} has no value: map it in requestParameters, e.g. "integration.request.path.${name}": "method.request.path.${name}"`,
      );
    }
  }
}
