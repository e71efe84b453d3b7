import { ConfigError } from '../config/config-error.js';

/** A route key's path, segment by segment. */
type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

export interface HttpRouteKey<T> {
  /** As configured: `GET /pets/{id}`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  /** Upper-case method, `ANY`, or `$default`. */
  method: string;
  segments: Segment[];
  target: T;
}

export interface HttpRouteMatch<T> {
  route: HttpRouteKey<T>;
  pathParameters: Record<string, string> | undefined;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);
const PARAM = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** `METHOD /path` or `$default`, checked as AWS checks it when the route is created. */
export function parseRouteKey<T>(routeKey: string, target: T): HttpRouteKey<T> {
  const where = `routes["${routeKey}"]`;
  if (routeKey === '$default') return { routeKey, method: '$default', segments: [], target };
  const space = routeKey.indexOf(' ');
  const method = space === -1 ? '' : routeKey.slice(0, space);
  const path = space === -1 ? routeKey : routeKey.slice(space + 1);
  if (!METHODS.has(method)) {
    throw new ConfigError(
      `${where}: the key must be "$default" or "METHOD /path" with METHOD one of ${[...METHODS].join(', ')}`,
    );
  }
  if (!path.startsWith('/')) throw new ConfigError(`${where}: the path must start with "/"`);
  // AWS refuses a path ending in `/` (other than `/` itself) at deploy (storacha/w3infra#166).
  if (path.length > 1 && path.endsWith('/'))
    throw new ConfigError(`${where}: the path must not end with "/"`);
  const segments: Segment[] = [];
  const names = new Set<string>();
  const parts = path === '/' ? [] : path.slice(1).split('/');
  parts.forEach((part, i) => {
    if (part === '') throw new ConfigError(`${where}: empty path segment`);
    const param = PARAM.exec(part);
    if (param === null) {
      if (part.includes('{') || part.includes('}'))
        throw new ConfigError(`${where}: "${part}" is not a path variable ({name} or {name+})`);
      segments.push({ kind: 'literal', text: part });
      return;
    }
    const [, name, plus] = param;
    if (names.has(name)) throw new ConfigError(`${where}: path variable {${name}} appears twice`);
    names.add(name);
    if (plus === '+') {
      if (i !== parts.length - 1)
        throw new ConfigError(`${where}: a greedy path variable {${name}+} must be the last segment`);
      segments.push({ kind: 'greedy', name });
    } else segments.push({ kind: 'param', name });
  });
  return { routeKey, method, segments, target };
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

/**
 * AWS's order (D-routes): full matches before greedy ones, `$default` last. Between two routes that
 * can match one request: literal over `{p}` over `{p+}` segment by segment, then a method over ANY.
 */
export function compareRoutes<T>(a: HttpRouteKey<T>, b: HttpRouteKey<T>): number {
  const aDefault = a.method === '$default' ? 1 : 0;
  const bDefault = b.method === '$default' ? 1 : 0;
  if (aDefault !== bDefault) return aDefault - bDefault;
  const aGreedy = a.segments.at(-1)?.kind === 'greedy' ? 1 : 0;
  const bGreedy = b.segments.at(-1)?.kind === 'greedy' ? 1 : 0;
  if (aGreedy !== bGreedy) return aGreedy - bGreedy;
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const diff = RANK[a.segments[i].kind] - RANK[b.segments[i].kind];
    if (diff !== 0) return diff;
  }
  // Among greedy routes the longer literal prefix wins.
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  const aAny = a.method === 'ANY' ? 1 : 0;
  const bAny = b.method === 'ANY' ? 1 : 0;
  if (aAny !== bAny) return aAny - bAny;
  return a.routeKey < b.routeKey ? -1 : a.routeKey > b.routeKey ? 1 : 0;
}

/** Routes in the order a request tries them; two keys for one route (`{id}` vs `{petId}`) refused. */
export function sortRoutes<T>(routes: HttpRouteKey<T>[]): HttpRouteKey<T>[] {
  const shapes = new Map<string, string>();
  for (const route of routes) {
    const shape = `${route.method} ${route.segments.map((s) => (s.kind === 'literal' ? `/${s.text}` : s.kind === 'param' ? '/{}' : '/{+}')).join('')}`;
    const other = shapes.get(shape);
    if (other !== undefined)
      throw new ConfigError(`routes["${route.routeKey}"]: the same route as routes["${other}"]`);
    shapes.set(shape, route.routeKey);
  }
  return [...routes].sort(compareRoutes);
}

/** Path parameters when `route` serves `method` on `segments` (the decoded path, split on `/`). */
export function matchRouteKey<T>(
  route: HttpRouteKey<T>,
  method: string,
  segments: readonly string[],
): Record<string, string> | undefined | false {
  if (route.method === '$default') return undefined;
  if (route.method !== 'ANY' && route.method !== method) return false;
  const own = route.segments;
  const greedy = own.at(-1)?.kind === 'greedy';
  if (greedy ? segments.length < own.length : segments.length !== own.length) return false;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < own.length; i++) {
    const s = own[i];
    if (s.kind === 'literal') {
      if (s.text !== segments[i]) return false;
      continue;
    }
    const value = s.kind === 'greedy' ? segments.slice(i).join('/') : segments[i];
    // `{p}` needs a segment with something in it; `{p+}` at least one character.
    if (value === '') return false;
    params ??= {};
    params[s.name] = value;
  }
  return params;
}

/** The first route in AWS's order that serves the request; undefined → 404. */
export function matchHttpRoute<T>(
  sorted: readonly HttpRouteKey<T>[],
  method: string,
  path: string,
): HttpRouteMatch<T> | undefined {
  const segments = path === '/' || path === '' ? [] : path.slice(1).split('/');
  for (const route of sorted) {
    const params = matchRouteKey(route, method, segments);
    if (params !== false) return { route, pathParameters: params };
  }
  return undefined;
}
