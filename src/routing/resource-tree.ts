import { ConfigError } from '../config/config-error.js';

/** A node of the deployed resource tree; every node is a resource (AWS creates parents implicitly). */
export interface ResourceNode<T> {
  /** Resource template, e.g. `/items/{id}`. */
  readonly path: string;
  readonly literals: Map<string, ResourceNode<T>>;
  param?: { name: string; node: ResourceNode<T> };
  greedy?: { name: string; node: ResourceNode<T> };
  /** Upper-case method (or `ANY`) → compiled method. */
  readonly methods: Map<string, T>;
}

type PathPart = { kind: 'literal'; value: string } | { kind: 'param' | 'greedy'; name: string };

// Characters AWS accepts in a literal path part (a URL path segment's unreserved and sub-delims).
const LITERAL_PART = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
const VARIABLE_PART = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** Splits and checks a resource path such as `/files/{proxy+}`; throws ConfigError naming the path. */
export function parseResourcePath(path: string): PathPart[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ConfigError(`resources["${path}"]: a resource path must start with "/"`);
  }
  if (path === '/') return [];
  const raw = path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  const parts: PathPart[] = [];
  const names = new Set<string>();
  const segments = raw.split('/');
  segments.forEach((segment, i) => {
    if (segment === '') throw new ConfigError(`resources["${path}"]: empty path part`);
    const variable = VARIABLE_PART.exec(segment);
    if (variable) {
      const name = variable[1];
      if (names.has(name))
        throw new ConfigError(`resources["${path}"]: path variable {${name}} is used twice`);
      names.add(name);
      if (variable[2] === '+' && i !== segments.length - 1) {
        throw new ConfigError(
          `resources["${path}"]: greedy path variable {${name}+} must be the last path part`,
        );
      }
      parts.push({ kind: variable[2] === '+' ? 'greedy' : 'param', name });
    } else if (LITERAL_PART.test(segment)) {
      parts.push({ kind: 'literal', value: segment });
    } else {
      throw new ConfigError(
        `resources["${path}"]: invalid path part "${segment}" (use letters, digits, ._-:~ or {name} / {name+})`,
      );
    }
  });
  return parts;
}

export function createResourceNode<T>(path: string): ResourceNode<T> {
  return { path, literals: new Map(), methods: new Map() };
}

/**
 * Adds a resource path to the tree and returns its node. Sibling variables must agree, as AWS
 * refuses `/{id}` beside `/{name}` or `/{proxy+}` ("only one is allowed").
 */
export function addResource<T>(root: ResourceNode<T>, path: string): ResourceNode<T> {
  let node = root;
  let template = '';
  for (const part of parseResourcePath(path)) {
    if (part.kind === 'literal') {
      template += `/${part.value}`;
      let child = node.literals.get(part.value);
      if (!child) {
        child = createResourceNode<T>(template);
        node.literals.set(part.value, child);
      }
      node = child;
      continue;
    }
    const label = part.kind === 'greedy' ? `{${part.name}+}` : `{${part.name}}`;
    template += `/${label}`;
    const sibling = node.param ?? node.greedy;
    const existing = part.kind === 'greedy' ? node.greedy : node.param;
    if (sibling && (sibling !== existing || sibling.name !== part.name)) {
      const siblingLabel = node.greedy ? `{${node.greedy.name}+}` : `{${sibling.name}}`;
      throw new ConfigError(
        `resources["${path}"]: ${label} conflicts with sibling ${siblingLabel} under "${node.path || '/'}" (only one variable path part is allowed per level)`,
      );
    }
    if (!existing) {
      const entry = { name: part.name, node: createResourceNode<T>(template) };
      if (part.kind === 'greedy') node.greedy = entry;
      else node.param = entry;
    }
    node = (part.kind === 'greedy' ? node.greedy : node.param)?.node as ResourceNode<T>;
  }
  return node;
}
