import { ConfigError } from '../../config/config-error.js';

/** An AWS service integration's `uri`, taken apart. */
export interface ServiceUri {
  region: string;
  /** The service as the URI names it (`dynamodb`, `s3`, `states`…): endpoint prefix and signing name. */
  service: string;
  /** `{subdomain}.{service}` URIs (e.g. an IoT data endpoint): the host's first label. */
  subdomain: string | undefined;
  kind: 'action' | 'path';
  /** `action/`: the action name; `path/`: the path after `path/`, `{name}` placeholders kept. */
  target: string;
  /** `action/{Action}&Key=value…` pairs, placeholders kept. */
  actionParameters: [string, string][];
}

const SERVICE_URI = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):([A-Za-z0-9.-]+):(action|path)\/(.*)$/s;

/** True for `arn:aws:apigateway:{region}:{service}:…` other than Lambda's invocation URI. */
export function isServiceUri(uri: string | undefined): boolean {
  if (uri === undefined) return false;
  const m = SERVICE_URI.exec(uri);
  return m !== null && m[2] !== 'lambda';
}

/**
 * `arn:aws:apigateway:{region}:{subdomain.}{service}:action/{Action}` or `…:path/{path}`
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html, `uri`).
 */
export function parseServiceUri(uri: string, where: string): ServiceUri {
  const m = SERVICE_URI.exec(uri);
  if (m === null) {
    throw new ConfigError(
      `${where}: not an AWS service URI (arn:aws:apigateway:{region}:{service}:action/{Action} or :path/{path}) (got ${JSON.stringify(uri)})`,
    );
  }
  const [, region, host, kind, rest] = m;
  const dot = host.lastIndexOf('.');
  const service = dot === -1 ? host : host.slice(dot + 1);
  const subdomain = dot === -1 ? undefined : host.slice(0, dot);
  if (kind === 'path') {
    return { region, service, subdomain, kind: 'path', target: rest, actionParameters: [] };
  }
  const [action, ...pairs] = rest.split('&');
  if (!/^[A-Za-z0-9_]+$/.test(action)) {
    throw new ConfigError(`${where}: action/${action}: not an action name`);
  }
  const actionParameters = pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  return { region, service, subdomain, kind: 'action', target: action, actionParameters };
}
