import { unreservedSegment } from '../http/request-target.js';
import type { ResourceNode } from './resource-tree.js';

export interface ResourceMatch<T> {
  node: ResourceNode<T>;
  /** The method serving the request (its own, else `ANY`); set when matching for a method. */
  method?: T;
  /** Raw (still percent-encoded) values, or null when the resource has no path variables. */
  pathParameters: Record<string, string> | null;
}

// Methods `ANY` stands for; anything else needs its own method.
const ANY_COVERS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

/** The method a resource serves `httpMethod` with: its own, else `ANY` when ANY covers it. */
export function methodOf<T>(node: ResourceNode<T>, httpMethod: string): T | undefined {
  return node.methods.get(httpMethod) ?? (ANY_COVERS.has(httpMethod) ? node.methods.get('ANY') : undefined);
}

/**
 * Finds the resource for a request path (already stripped of the stage and of extra leading
 * slashes). Literal parts beat `{param}`, which beats `{proxy+}`; on a dead end the walk backs up
 * and tries the next kind, so the cost is O(depth) in the common case. Given `httpMethod`, a
 * resource without that method is a dead end too: AWS answers `OPTIONS /test` from a sibling
 * `/{proxy+}` when `/test` has only POST (recorded: test_proxy_routing_with_hardcoded_resource_sibling).
 * Empty segments (`a//b`) are skipped for matching, but a greedy value keeps them as sent.
 */
export function matchRoute<T>(
  root: ResourceNode<T>,
  path: string,
  httpMethod?: string,
): ResourceMatch<T> | undefined {
  const starts: number[] = [];
  const segments: string[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    if (path.charCodeAt(i) === 47 /* / */) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && path.charCodeAt(j) !== 47) j++;
    starts.push(i);
    segments.push(path.slice(i, j));
    i = j;
  }
  const params: [string, string][] = [];
  const node = walk(root, path, segments, starts, 0, params, httpMethod);
  if (!node) return undefined;
  const method = httpMethod === undefined ? undefined : methodOf(node, httpMethod);
  if (params.length === 0) return { node, method, pathParameters: null };
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of params) {
    // `{__proto__}` is a legal path variable: an own property, not the object's prototype.
    if (name === '__proto__')
      Object.defineProperty(pathParameters, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else pathParameters[name] = value;
  }
  return { node, method, pathParameters };
}

function walk<T>(
  node: ResourceNode<T>,
  path: string,
  segments: string[],
  starts: number[],
  index: number,
  params: [string, string][],
  httpMethod: string | undefined,
): ResourceNode<T> | undefined {
  if (index === segments.length) {
    return httpMethod === undefined || methodOf(node, httpMethod) !== undefined ? node : undefined;
  }
  // `/ad%6din` is `/admin` (RFC 3986 §6.2.2.2), as the methodArn spells it; values stay as sent.
  const literal = node.literals.get(unreservedSegment(segments[index]));
  if (literal) {
    const found = walk(literal, path, segments, starts, index + 1, params, httpMethod);
    if (found) return found;
  }
  if (node.param) {
    params.push([node.param.name, segments[index]]);
    const found = walk(node.param.node, path, segments, starts, index + 1, params, httpMethod);
    if (found) return found;
    params.pop();
  }
  if (node.greedy && (httpMethod === undefined || methodOf(node.greedy.node, httpMethod) !== undefined)) {
    // The greedy value runs to the end as sent (inner `//` kept), minus one trailing slash.
    const end = path.charCodeAt(path.length - 1) === 47 ? path.length - 1 : path.length;
    params.push([node.greedy.name, path.slice(starts[index], end)]);
    return node.greedy.node;
  }
  return undefined;
}
