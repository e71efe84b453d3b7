import type { ApiIdentity, GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import { evaluateJsonPath } from '../../vtl/json-path.js';
import { toRequestContext } from '../proxy.js';

type Source =
  | { kind: 'static'; value: string }
  | { kind: 'path'; name: string }
  | { kind: 'querystring'; name: string; multi: boolean }
  | { kind: 'header'; name: string; multi: boolean }
  | { kind: 'body'; jsonPath: string | undefined }
  | { kind: 'stageVariable'; name: string }
  | { kind: 'context'; keys: string[] };

/** One `integration.request.{location}.{name}` ← source, parsed once. */
export interface ParameterMapping {
  location: 'path' | 'querystring' | 'header';
  name: string;
  source: Source;
}

/** The mappings of `requestParameters` (already checked by the gateway's own validation). */
export function compileParameterMappings(parameters: Record<string, string> | undefined): ParameterMapping[] {
  const out: ParameterMapping[] = [];
  for (const [target, value] of Object.entries(parameters ?? {})) {
    const [, , location, ...rest] = target.split('.');
    out.push({
      location: location as ParameterMapping['location'],
      name: rest.join('.'),
      source: parseSource(value),
    });
  }
  return out;
}

function parseSource(value: string): Source {
  if (value.startsWith("'")) return { kind: 'static', value: value.slice(1, -1) };
  if (value.startsWith('stageVariables.')) return { kind: 'stageVariable', name: value.slice(15) };
  if (value.startsWith('context.')) return { kind: 'context', keys: value.slice(8).split('.') };
  if (value === 'method.request.body') return { kind: 'body', jsonPath: undefined };
  if (value.startsWith('method.request.body.')) return { kind: 'body', jsonPath: `$.${value.slice(20)}` };
  const [, , location, ...rest] = value.split('.');
  const name = rest.join('.');
  switch (location) {
    case 'path':
      return { kind: 'path', name };
    case 'querystring':
      return { kind: 'querystring', name, multi: false };
    case 'multivaluequerystring':
      return { kind: 'querystring', name, multi: true };
    case 'multivalueheader':
      return { kind: 'header', name: name.toLowerCase(), multi: true };
    default:
      return { kind: 'header', name: name.toLowerCase(), multi: false };
  }
}

/**
 * A mapping's values for one request: none when the source is absent (the parameter is then not
 * sent), several for a multi-value source.
 */
export function resolveMapping(
  mapping: ParameterMapping,
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
): string[] {
  const source = mapping.source;
  switch (source.kind) {
    case 'static':
      return [source.value];
    case 'path': {
      const value = route.pathParameters?.[source.name];
      return value === undefined ? [] : [value];
    }
    case 'querystring': {
      if (source.multi) return req.query?.multi[source.name] ?? [];
      const value = req.query?.single[source.name];
      return value === undefined ? [] : [value];
    }
    case 'header': {
      if (!source.multi) {
        const value = req.headers.lower.get(source.name);
        return value === undefined ? [] : [value];
      }
      const key = req.headers.names.get(source.name);
      return key === undefined ? [] : (req.headers.multiValueHeaders[key] ?? []);
    }
    case 'stageVariable': {
      const value = api.stageVariables?.[source.name];
      return value === undefined ? [] : [value];
    }
    case 'context': {
      let value: unknown = toRequestContext(req, route, api);
      for (const key of source.keys) {
        value =
          typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
      return value === undefined || value === null ? [] : [String(value)];
    }
    case 'body': {
      const text = req.body.toString('utf8');
      if (source.jsonPath === undefined) return [text];
      try {
        const [match] = evaluateJsonPath(JSON.parse(text), source.jsonPath);
        if (match === undefined || match === null) return [];
        return [typeof match === 'string' ? match : JSON.stringify(match)];
      } catch {
        return [];
      }
    }
  }
}
