import { ConfigError } from '../config/config-error.js';
import type { ResolvedOptions } from '../config/types.js';

/** The API as an OpenAPI 3.0 document with `x-amazon-apigateway-*` extensions. */
export function toOpenApi(_options: ResolvedOptions): Record<string, unknown> {
  throw new ConfigError('toOpenApi: not available yet');
}
