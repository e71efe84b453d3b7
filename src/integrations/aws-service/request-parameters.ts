import type { GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import type { TemplateScope } from '../../vtl/compile-template.js';
import { evaluateJsonPath } from '../../vtl/json-path.js';

/** One `integration.request.{location}.{name}` ← source mapping, parsed once. */
export interface ParameterMapping {
  location: 'header' | 'querystring' | 'path';
  name: string;
  read: (req: GatewayRequest, route: RouteMatch, scope: TemplateScope) => string | string[] | undefined;
}

function pathValue(root: unknown, keys: readonly string[]): unknown {
  let value = root;
  for (const key of keys) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function sourceReader(source: string): ParameterMapping['read'] {
  if (source.startsWith("'")) {
    const value = source.slice(1, -1);
    return () => value;
  }
  const [head, second] = source.split('.');
  if (head === 'stageVariables') return (_r, _m, scope) => scope.stageVariables[second];
  if (head === 'context') {
    const keys = source.split('.').slice(1);
    return (_r, _m, scope) => {
      const value = pathValue(scope.context, keys);
      return value === undefined || value === null ? undefined : String(value);
    };
  }
  // method.request.{where}.{name}, or method.request.body[.a.b]
  const [, , where, ...rest] = source.split('.');
  const name = rest.join('.');
  switch (where) {
    case 'path':
      return (_r, route) => route.pathParameters?.[name];
    case 'querystring':
      return (req) => req.query?.single[name];
    case 'multivaluequerystring':
      return (req) => req.query?.multi[name];
    case 'header':
      return (req) => req.headers.lower.get(name.toLowerCase());
    case 'multivalueheader':
      return (req) => {
        const key = req.headers.names.get(name.toLowerCase());
        return key === undefined ? undefined : req.headers.multiValueHeaders[key];
      };
    default: {
      // method.request.body[.a.b]
      const jsonPath = rest.length === 0 ? undefined : `$.${name}`;
      return (req) => {
        const text = req.body.toString('utf8');
        if (jsonPath === undefined) return text;
        try {
          const [match] = evaluateJsonPath(JSON.parse(text), jsonPath);
          if (match === undefined || match === null) return undefined;
          return typeof match === 'string' ? match : JSON.stringify(match);
        } catch {
          return undefined;
        }
      };
    }
  }
}

/** `requestParameters` (already checked by the gateway's compileRequestParameters), parsed once. */
export function compileParameterMappings(parameters: Record<string, string> | undefined): ParameterMapping[] {
  return Object.entries(parameters ?? {}).map(([target, source]) => {
    const [, , location, name] = target.split('.');
    return { location: location as ParameterMapping['location'], name, read: sourceReader(source) };
  });
}
