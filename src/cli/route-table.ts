import type { HttpMethod, Method, ResolvedOptions } from '../config/types.js';
import { integrationFunctionName } from '../config/validate.js';
import { expandCors } from '../gateway/cors.js';
import { validateApi } from '../gateway/validate-api.js';

/** One method of the API as `routes` prints it. */
export interface RouteRow {
  method: string;
  path: string;
  integration: string;
  auth: string;
}

const METHOD_ORDER: HttpMethod[] = ['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Where the stage serves: `/prod`, or the `basePath` given (`''` at the root). */
export function basePathOf(options: ResolvedOptions): string {
  return options.basePath ?? `/${options.stageName ?? 'prod'}`;
}

/**
 * The methods the API serves (CORS preflights included), checked as `apiGateway()` checks them;
 * throws its ConfigError.
 * @example
 * listRoutes(options); // [{ method: 'GET', path: '/pets', integration: 'AWS_PROXY get-pet', auth: 'NONE' }, …]
 */
export function listRoutes(config: ResolvedOptions): RouteRow[] {
  validateApi(config);
  const options = expandCors(config);
  const rows: RouteRow[] = [];
  for (const path of Object.keys(options.resources).sort()) {
    const { cors: _cors, ...methods } = options.resources[path];
    const names = (Object.keys(methods) as HttpMethod[]).sort(
      (a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b),
    );
    for (const name of names) {
      const method = methods[name] as Method;
      rows.push({
        method: name,
        path,
        integration: describeIntegration(method, options),
        auth: describeAuth(method),
      });
    }
  }
  return rows;
}

/** The rows as aligned columns under a header. */
export function formatRoutes(rows: RouteRow[]): string {
  const table = [{ method: 'METHOD', path: 'PATH', integration: 'INTEGRATION', auth: 'AUTH' }, ...rows];
  const width = (key: keyof RouteRow) => Math.max(...table.map((row) => row[key].length));
  const [method, path, integration] = [width('method'), width('path'), width('integration')];
  return table
    .map((row) =>
      `${row.method.padEnd(method)}  ${row.path.padEnd(path)}  ${row.integration.padEnd(integration)}  ${row.auth}`.trimEnd(),
    )
    .join('\n');
}

function describeIntegration(method: Method, options: ResolvedOptions): string {
  const { integration } = method;
  if (integration.type === 'MOCK') return 'MOCK';
  if (integration.type === 'HTTP' || integration.type === 'HTTP_PROXY')
    return `${integration.type} ${integration.httpMethod ?? '?'} ${integration.uri ?? '?'}`;
  // An AWS service integration: `AWS sqs:path/123456789012/orders`.
  const service = /^arn:[^:]+:apigateway:[^:]+:((?!lambda:)[^:]+:(?:action|path)\/.*)$/.exec(
    integration.uri ?? '',
  );
  if (integration.type === 'AWS' && service) return `AWS ${service[1]}`;
  return `${integration.type} ${integrationFunctionName(integration, options.stageVariables) ?? '?'}`;
}

function describeAuth(method: Method): string {
  const type = method.authorizationType ?? 'NONE';
  const auth = method.authorizer !== undefined ? `${type} ${method.authorizer}` : type;
  return method.apiKeyRequired ? `${auth}, API key` : auth;
}
