import type { QueryParameters } from '../http/parse-query.js';

/**
 * Parameter mapping on HTTP API integrations (D-pmap, CFN-integration `RequestParameters` /
 * `ResponseParameters`), in the API's own map form: `{"append:header.x": "$request.header.y"}`.
 */
export type HttpRequestParameters = Record<string, string>;
/** Status code (`"200"`–`"599"`) → `{"overwrite:statuscode": "204", "append:header.x": "…"}`. */
export type HttpResponseParameters = Record<string, Record<string, string>>;

type Action = 'append' | 'overwrite' | 'remove';

/** One piece of a value: static text, or a `$request…`/`$context…` reference. */
type Part = { text: string } | { ref: string };

export interface Mapping {
  action: Action;
  target: 'header' | 'querystring' | 'path' | 'statuscode';
  /** Header names lower-case; query string names as written (they are case-sensitive). */
  name: string;
  parts: Part[];
}

/** D-pmap "Reserved headers": no mapping may touch these. */
const RESERVED = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

const REQUEST_KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$/;
const RESPONSE_KEY = /^(append|overwrite|remove):header\.(.+)$/;
// `$request.header.x` alone, or `${request.header.x}` anywhere in a string (D-pmap).
const BRACED = /\$\{([A-Za-z0-9_.-]+)\}/g;
const WHOLE = /^\$((?:request|response|context|stageVariables)\.[A-Za-z0-9_.-]+)$/;

/** A value's parts; a value that is one bare `$…` reference is that reference. */
export function parseValue(value: string): Part[] {
  const whole = WHOLE.exec(value);
  if (whole) return [{ ref: whole[1] }];
  const parts: Part[] = [];
  let last = 0;
  for (const m of value.matchAll(BRACED)) {
    if (m.index > last) parts.push({ text: value.slice(last, m.index) });
    parts.push({ ref: m[1] });
    last = m.index + m[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last) });
  return parts;
}

const SOURCES = {
  request: [
    'request.header.',
    'request.querystring.',
    'request.body',
    'request.path',
    'context.',
    'stageVariables.',
  ],
  response: ['response.header.', 'response.body', 'context.', 'stageVariables.'],
};

function checkValue(value: unknown, kind: 'request' | 'response', where: string, problems: string[]): Part[] {
  if (typeof value !== 'string') {
    problems.push(`${where}: a string value (static, or $${kind}.…, $context.…, $stageVariables.…)`);
    return [];
  }
  const parts = parseValue(value);
  for (const part of parts) {
    if ('ref' in part && !SOURCES[kind].some((s) => part.ref === s || part.ref.startsWith(s)))
      problems.push(`${where}: "$${part.ref}" is not a source a ${kind} mapping can read`);
  }
  return parts;
}

/** Startup checks and parsing of `requestParameters`; problems name the route and key. */
export function compileRequestParameters(params: unknown, where: string, problems: string[]): Mapping[] {
  if (params === undefined) return [];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    problems.push(`${where}: an object of "append|overwrite|remove:header.name" … → value`);
    return [];
  }
  const mappings: Mapping[] = [];
  for (const [key, value] of Object.entries(params)) {
    const at = `${where}["${key}"]`;
    const parts = checkValue(value, 'request', at, problems);
    if (key === 'overwrite:path') {
      mappings.push({ action: 'overwrite', target: 'path', name: '', parts });
      continue;
    }
    const m = REQUEST_KEY.exec(key);
    if (!m) {
      problems.push(
        `${at}: keys are append|overwrite|remove:header.name, …:querystring.name or overwrite:path`,
      );
      continue;
    }
    const target = m[2] as 'header' | 'querystring';
    if (target === 'header' && isReservedHeader(m[3])) {
      problems.push(`${at}: "${m[3]}" is a reserved header; API Gateway does not map it`);
      continue;
    }
    mappings.push({
      action: m[1] as Action,
      target,
      name: target === 'header' ? m[3].toLowerCase() : m[3],
      parts,
    });
  }
  return mappings;
}

/** Startup checks and parsing of `responseParameters`, by status code. */
export function compileResponseParameters(
  params: unknown,
  where: string,
  problems: string[],
): Map<number, Mapping[]> {
  const byStatus = new Map<number, Mapping[]>();
  if (params === undefined) return byStatus;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    problems.push(`${where}: an object of status code → { "overwrite:statuscode" | "…:header.name": value }`);
    return byStatus;
  }
  for (const [status, map] of Object.entries(params)) {
    const code = Number(status);
    if (!/^[2-5]\d\d$/.test(status)) {
      problems.push(`${where}: "${status}" is not a status code from 200 to 599`);
      continue;
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(`${where}["${status}"]: an object of mapping key → value`);
      continue;
    }
    const mappings: Mapping[] = [];
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      const at = `${where}["${status}"]["${key}"]`;
      const parts = checkValue(value, 'response', at, problems);
      if (key === 'overwrite:statuscode') {
        if (parts.length === 1 && 'text' in parts[0] && !/^[1-5]\d\d$/.test(parts[0].text))
          problems.push(`${at}: a status code from 100 to 599 (got ${JSON.stringify(value)})`);
        mappings.push({ action: 'overwrite', target: 'statuscode', name: '', parts });
        continue;
      }
      const m = RESPONSE_KEY.exec(key);
      if (!m) {
        problems.push(`${at}: keys are append|overwrite|remove:header.name or overwrite:statuscode`);
        continue;
      }
      if (isReservedHeader(m[2])) {
        problems.push(`${at}: "${m[2]}" is a reserved header; API Gateway does not map it`);
        continue;
      }
      mappings.push({ action: m[1] as Action, target: 'header', name: m[2].toLowerCase(), parts });
    }
    byStatus.set(code, mappings);
  }
  return byStatus;
}

/** Reads a reference (`request.header.x` …); undefined when the request has no such value. */
export type Lookup = (ref: string) => string | undefined;

/** A value's text; undefined when it only referred to things that are not there. */
export function render(parts: Part[], lookup: Lookup): string | undefined {
  let out = '';
  let found = parts.length === 0;
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      found = true;
    } else {
      const value = lookup(part.ref);
      if (value !== undefined) {
        out += value;
        found = true;
      }
    }
  }
  return found ? out : undefined;
}

/** `$request.body.a.b` / `$response.body.a.b`: a simple JSON path (no `..`, no filters; D-pmap). */
export function bodyPath(body: Buffer | string, path: string): string | undefined {
  const text = typeof body === 'string' ? body : body.subarray(0, 100 * 1024).toString('utf8');
  if (path === '') return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const step of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface MappableRequest {
  rawPath: string;
  rawQueryString: string;
  query: QueryParameters | null;
  headers: Map<string, string[]>;
}

/** Applies request mappings in place; every value is read from the request as it arrived. */
export function mapRequest(mappings: Mapping[], request: MappableRequest, lookup: Lookup): void {
  if (mappings.length === 0) return;
  const rendered = mappings.map((m) => render(m.parts, lookup));
  let multi: Record<string, string[]> | undefined;
  mappings.forEach((m, i) => {
    const value = rendered[i];
    if (m.target === 'path') {
      if (value !== undefined) request.rawPath = value.startsWith('/') ? value : `/${value}`;
      return;
    }
    if (m.target === 'header') {
      if (m.action === 'remove') request.headers.delete(m.name);
      else if (value === undefined) return;
      else if (m.action === 'overwrite') request.headers.set(m.name, [value]);
      else request.headers.set(m.name, [...(request.headers.get(m.name) ?? []), value]);
      return;
    }
    multi ??= Object.fromEntries(Object.entries(request.query?.multi ?? {}).map(([k, v]) => [k, [...v]]));
    if (m.action === 'remove') delete multi[m.name];
    else if (value === undefined) return;
    else if (m.action === 'overwrite') multi[m.name] = [value];
    else multi[m.name] = [...(multi[m.name] ?? []), value];
  });
  if (multi === undefined) return;
  const entries = Object.entries(multi);
  request.rawQueryString = entries
    .flatMap(([name, values]) => values.map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`))
    .join('&');
  request.query =
    entries.length === 0
      ? null
      : {
          multi,
          single: Object.fromEntries(entries.map(([name, values]) => [name, values[values.length - 1]])),
        };
}

export interface MappableResponse {
  statusCode: number;
  headers: [string, string][];
}

/** Applies the mappings for the integration's status code; values read from its answer. */
export function mapResponse(
  byStatus: Map<number, Mapping[]>,
  response: MappableResponse,
  lookup: Lookup,
): void {
  const mappings = byStatus.get(response.statusCode);
  if (mappings === undefined) return;
  const rendered = mappings.map((m) => render(m.parts, lookup));
  mappings.forEach((m, i) => {
    const value = rendered[i];
    if (m.target === 'statuscode') {
      const code = Number(value);
      if (Number.isInteger(code) && code >= 100 && code <= 599) response.statusCode = code;
      return;
    }
    if (m.action === 'remove' || m.action === 'overwrite')
      response.headers = response.headers.filter(([name]) => name.toLowerCase() !== m.name);
    if (m.action !== 'remove' && value !== undefined) response.headers.push([m.name, value]);
  });
}
