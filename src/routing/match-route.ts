import type { ResourceNode } from './resource-tree.js';

export interface ResourceMatch<T> {
  node: ResourceNode<T>;
  /** Raw (still percent-encoded) values, or null when the resource has no path variables. */
  pathParameters: Record<string, string> | null;
}

/**
 * Finds the resource for a request path (already stripped of the stage and of extra leading
 * slashes). Literal parts beat `{param}`, which beats `{proxy+}`; on a dead end the walk backs up
 * and tries the next kind, so the cost is O(depth) in the common case. Empty segments (`a//b`)
 * are skipped for matching, but a greedy value keeps them as sent.
 */
export function matchRoute<T>(root: ResourceNode<T>, path: string): ResourceMatch<T> | undefined {
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
  const node = walk(root, path, segments, starts, 0, params);
  if (!node) return undefined;
  if (params.length === 0) return { node, pathParameters: null };
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of params) pathParameters[name] = value;
  return { node, pathParameters };
}

function walk<T>(
  node: ResourceNode<T>,
  path: string,
  segments: string[],
  starts: number[],
  index: number,
  params: [string, string][],
): ResourceNode<T> | undefined {
  if (index === segments.length) return node;
  const literal = node.literals.get(segments[index]);
  if (literal) {
    const found = walk(literal, path, segments, starts, index + 1, params);
    if (found) return found;
  }
  if (node.param) {
    params.push([node.param.name, segments[index]]);
    const found = walk(node.param.node, path, segments, starts, index + 1, params);
    if (found) return found;
    params.pop();
  }
  if (node.greedy) {
    // The greedy value runs to the end as sent (inner `//` kept), minus one trailing slash.
    const end = path.charCodeAt(path.length - 1) === 47 ? path.length - 1 : path.length;
    params.push([node.greedy.name, path.slice(starts[index], end)]);
    return node.greedy.node;
  }
  return undefined;
}
