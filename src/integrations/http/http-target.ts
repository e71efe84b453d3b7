import type { ApiIdentity, GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import { type CompiledUri, fillUri, percentEncode } from './http-uri.js';
import { type ParameterMapping, resolveMapping } from './request-parameters.js';

/** What an HTTP integration sends to, compiled once. */
export interface HttpTarget {
  uri: CompiledUri;
  /** Upper-case; `ANY` sends the client's method. */
  httpMethod: string;
  mappings: ParameterMapping[];
  timeoutMs: number;
}

/** The requestParameters' values for one request, by where they go. */
export interface MappedParameters {
  url: string;
  /** Lower-case name → [name as written, values]. */
  headers: Map<string, [string, string[]]>;
  querystring: [string, string[]][];
}

/** Fills the uri's placeholders and collects mapped headers and query parameters. */
export function mapParameters(
  target: HttpTarget,
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
): MappedParameters {
  const path = new Map<string, string>();
  const headers = new Map<string, [string, string[]]>();
  const querystring: [string, string[]][] = [];
  for (const mapping of target.mappings) {
    const values = resolveMapping(mapping, req, route, api);
    if (values.length === 0) continue;
    if (mapping.location === 'path') path.set(mapping.name, values.join(','));
    else if (mapping.location === 'header') headers.set(mapping.name.toLowerCase(), [mapping.name, values]);
    else querystring.push([mapping.name, values]);
  }
  return { url: fillUri(target.uri, path, api.stageVariables), headers, querystring };
}

// RFC 3986 query characters; anything else is percent-encoded.
const QUERY_UNSAFE = /[^A-Za-z0-9\-._~!$'()*,;:@/?]/gu;

function encodeQuery(text: string): string {
  return text.replace(QUERY_UNSAFE, percentEncode);
}

/** `url` with `query` (already encoded, may be empty) and the mapped parameters appended. */
export function withQuery(url: string, query: string, mapped: [string, string[]][]): string {
  const pieces: string[] = query === '' ? [] : [query];
  for (const [name, values] of mapped) {
    for (const value of values) pieces.push(`${encodeQuery(name)}=${encodeQuery(value)}`);
  }
  if (pieces.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${pieces.join('&')}`;
}

/** The client's query string without the names a mapping sets (the mapping wins). */
export function queryWithout(rawQuery: string, names: ReadonlySet<string>): string {
  if (names.size === 0 || rawQuery === '') return rawQuery;
  return rawQuery
    .split('&')
    .filter((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        // a stray % stays as it is
      }
      return !names.has(decoded);
    })
    .join('&');
}
