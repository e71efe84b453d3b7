import { ConfigError } from '../config/config-error.js';
import type { ResourceDefinition } from '../config/types.js';

const MAX_LISTED = 20;

/** How many methods the resources hold (a `cors` entry is not one). */
export function countMethods(resources: Record<string, ResourceDefinition> | undefined): number {
  return Object.values(resources ?? {}).reduce(
    (sum, methods) => sum + Object.keys(methods).filter((key) => key !== 'cors').length,
    0,
  );
}

/**
 * The error for a definition with no method to serve: what it holds and what could not be used,
 * each named, so a misspelt type or key, or events of another kind, show where they stand.
 */
export function nothingToServe(
  key: string,
  why: string,
  found: string[],
  unsupported: string[],
): ConfigError {
  const listed =
    found.length > MAX_LISTED
      ? [...found.slice(0, MAX_LISTED), `and ${found.length - MAX_LISTED} more`]
      : found;
  return new ConfigError(
    `${key}: nothing to serve: ${why}. Found: ${listed.length > 0 ? listed.join(', ') : 'nothing'}. Not usable here: ${unsupported.length > 0 ? unsupported.join('; ') : 'nothing'}`,
  );
}
