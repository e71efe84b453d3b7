import { ConfigError } from '../config/config-error.js';
import type { ImportContext, ImportedApi } from './load-definition.js';

export async function importOpenApi(
  _source: string | Record<string, unknown>,
  _ctx: ImportContext,
): Promise<ImportedApi> {
  throw new ConfigError('openapi-import: not available yet');
}
